package dev.beamline.serving;

/**
 * A request the server answers with an error, as MLflow's scoring server does: a status, MLflow's
 * {@code error_code} and a message, sent as {@code {"error_code": ..., "message": ...}}, or as plain text
 * when {@code plainText} (MLflow answers content-type problems, 415, in text).
 */
final class BadRequest extends Exception {
  private static final long serialVersionUID = 1L;
  final int status;
  final String errorCode;
  final boolean plainText;

  BadRequest(int status, String errorCode, String message) {
    this(status, errorCode, message, false);
  }

  private BadRequest(int status, String errorCode, String message, boolean plainText) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.plainText = plainText;
  }

  /** 400 BAD_REQUEST. */
  static BadRequest of(String message) {
    return new BadRequest(400, "BAD_REQUEST", message);
  }

  /** 415 in plain text. */
  static BadRequest unsupportedMediaType(String message) {
    return new BadRequest(415, null, message, true);
  }
}
