package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's {@code report.html} opened from the file system in a real headless Chromium (Debian's; CI installs
 * it): the page renders, and every picture of the run's {@code report/} is on it and loads.
 */
final class Browser {
  private Browser() {}

  /** The check appended to a copy of the page: it writes how many images there are, and how many loaded. */
  private static final String CHECK = "<script>window.addEventListener('load', function () {"
      + "var images = Array.from(document.images);"
      + "document.body.setAttribute('data-images', images.length);"
      + "document.body.setAttribute('data-loaded', images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length);"
      + "});</script>";

  static void assertReportRenders(Path run) throws IOException, InterruptedException {
    long pictures;
    try (Stream<Path> files = Files.list(run.resolve("report"))) {
      pictures = files.filter(p -> p.toString().endsWith(".png")).count();
    }
    assertTrue(pictures > 0, "no pictures in " + run.resolve("report"));
    String page = Files.readString(run.resolve("report.html"));
    Path checked = Files.createTempFile(run.getParent(), "report-check-", ".html");
    Files.writeString(checked, page.replace("</body>", CHECK + "</body>"));
    Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
        "--dump-dom", checked.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium timed out");
    Matcher m = Pattern.compile("<body data-images=\"(\\d+)\" data-loaded=\"(\\d+)\"").matcher(dom);
    assertTrue(m.find(), "the page did not finish loading in Chromium: " + dom.substring(0, Math.min(300, dom.length())));
    assertEquals(pictures, Long.parseLong(m.group(1)), "every picture of report/ is on the page");
    assertEquals(pictures, Long.parseLong(m.group(2)), "every picture loads");
    assertTrue(dom.contains("<h2>Metrics</h2>"), "the page rendered its metrics");
    Files.delete(checked);
  }
}
