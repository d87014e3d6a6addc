package dev.beamline.plugins.mlflow;

/** The MLflow server refused a request (a 4xx answer): retrying would not help. */
final class MlflowApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String errorCode;

  MlflowApiException(String what, int status, String errorCode, String message) {
    super(what + ": HTTP " + status + (errorCode == null ? "" : " " + errorCode) + (message == null ? "" : ": " + message));
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  String errorCode() {
    return errorCode;
  }
}
