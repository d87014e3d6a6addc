package dev.beamline.it;

import dev.beamline.cli.Beamline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code beamline} command in this JVM and keeps what it printed. */
record Cli(int code, String out, String err) {
  /** The console line of a failed pipeline that kept its trace. */
  private static final Pattern KEPT_TRACE = Pattern.compile("partial output left in (\\S+) \\(the full trace in (\\S+)\\)");

  static Cli run(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = Beamline.execute(args, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    Cli c = new Cli(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    System.out.println("$ beamline " + String.join(" ", args) + "\n" + c.out + c.err);
    return c;
  }

  /** The stack trace a failed pipeline kept in its partial output, or "" (a failure that does not repeat is read from it). */
  String keptTrace() {
    Matcher m = KEPT_TRACE.matcher(out);
    if (!m.find()) {
      return "";
    }
    try {
      return "\nkept trace:\n" + Files.readString(Path.of(m.group(1)).resolve(m.group(2)));
    } catch (IOException e) {
      return "\nkept trace unreadable: " + e;
    }
  }

  @Override
  public String toString() {
    return "exit " + code + "\n" + out + err + keptTrace();
  }
}
