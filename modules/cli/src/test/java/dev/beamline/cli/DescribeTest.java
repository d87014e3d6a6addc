package dev.beamline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one-line description of a failure the CLI prints: the runner's verdict down to the root cause. */
class DescribeTest {
  @Test
  void keepsEachDistinctMessageOutermostFirstAndDropsWrappers() {
    Exception root = new ConnectException("Connection refused: localhost/127.0.0.1:46707");
    Exception wrapper = new CompletionException(root); // message "java.net.ConnectException: Connection refused..."
    Exception lost = new IOException("Connecting to remote task manager has failed", wrapper);
    Exception verdict = new RuntimeException("Recovery is suppressed by NoRestartBackoffTimeStrategy", lost);
    Exception job = new RuntimeException("Job failed (JobID: 1)", verdict);
    assertEquals("Job failed (JobID: 1) -> Recovery is suppressed by NoRestartBackoffTimeStrategy -> "
        + "Connecting to remote task manager has failed -> Connection refused: localhost/127.0.0.1:46707", Beamline.describe(job));
  }

  @Test
  void longChainsKeepTheirEnds() {
    Exception e = new RuntimeException("m6");
    for (int i = 5; i >= 1; i--) {
      e = new RuntimeException("m" + i, e);
    }
    assertEquals("m1 -> m2 -> ... -> m4 -> m5 -> m6", Beamline.describe(e));
  }

  @Test
  void aFailureWithoutMessagesIsNamedByItsClass() {
    assertEquals("java.lang.IllegalStateException", Beamline.describe(new RuntimeException(new IllegalStateException())));
  }
}
