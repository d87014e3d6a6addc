package dev.beamline.it;

import dev.beamline.cli.Beamline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the {@code beamline} command in this JVM and keeps what it printed. */
record Cli(int code, String out, String err) {
  static Cli run(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = Beamline.execute(args, new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    Cli c = new Cli(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    System.out.println("$ beamline " + String.join(" ", args) + "\n" + c.out + c.err);
    return c;
  }

  @Override
  public String toString() {
    return "exit " + code + "\n" + out + err;
  }
}
