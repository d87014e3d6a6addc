package dev.beamline.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** A real PostgreSQL 15 server for a test class, started and stopped with the project's script ({@code integration-tests/bin/postgres}). */
final class PostgresServer implements AutoCloseable {
  static final Path SCRIPT = PipelinesIT.ROOT.resolve("integration-tests/bin/postgres");
  static final String USER = "beamline";

  final Path dir;
  final String url;
  final String password;

  private PostgresServer(Path dir, String url, String password) {
    this.dir = dir;
    this.url = url;
    this.password = password;
  }

  /** Starts a server with its data in {@code dir}. */
  static PostgresServer start(Path dir) throws Exception {
    String url = ProjectScript.run(SCRIPT, Map.of(), "start", "--dir", dir.toString());
    return new PostgresServer(dir, url, Files.readString(dir.resolve("password")).strip());
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, USER, password);
  }

  @Override
  public void close() throws Exception {
    if (Files.exists(dir.resolve("server.pid"))) {
      ProjectScript.run(SCRIPT, Map.of(), "stop", "--purge", dir.toString());
    }
  }
}
