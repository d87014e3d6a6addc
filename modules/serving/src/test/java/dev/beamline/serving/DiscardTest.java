package dev.beamline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.Test;

/** A refused body is read and dropped up to a bound before the answer; past it, the connection is cut. */
class DiscardTest {
  private static List<String> discard(int bodyBytes, long most) {
    List<String> outcome = new ArrayList<>();
    Content.Source body = Content.Source.from(new ByteArrayInputStream(new byte[bodyBytes]));
    new ScoringServer.Discard(body, most, () -> outcome.add("done"), () -> outcome.add("cut")).run();
    return outcome;
  }

  @Test
  void aBodyWithinTheBoundIsReadToItsEnd() {
    assertEquals(List.of("done"), discard(100_000, 100_000));
    assertEquals(List.of("done"), discard(0, 10));
  }

  @Test
  void aBodyPastTheBoundIsCut() {
    assertEquals(List.of("cut"), discard(100_001, 100_000));
  }

  @Test
  void aBodyThatFailsIsCut() {
    List<String> outcome = new ArrayList<>();
    Content.Source body = Content.Source.from(new ByteArrayInputStream(new byte[10]));
    body.fail(new java.io.IOException("the client went away"));
    new ScoringServer.Discard(body, 100, () -> outcome.add("done"), () -> outcome.add("cut")).run();
    assertEquals(List.of("cut"), outcome);
  }
}
