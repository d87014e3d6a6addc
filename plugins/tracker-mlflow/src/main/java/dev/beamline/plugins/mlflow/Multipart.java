package dev.beamline.plugins.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multipart upload through the artifact proxy ({@code mlflow-artifacts/mpu/create|complete|abort}), where
 * the server's store offers it (S3-like stores hand out one presigned URL per part). A store without it
 * answers 501 and the caller streams the file in one PUT instead.
 */
final class Multipart {
  private final MlflowRest rest;
  private final long partSize;

  Multipart(MlflowRest rest, long partSize) {
    this.rest = rest;
    this.partSize = partSize;
  }

  /** Uploads {@code file} to {@code target} in parts; false when the server's store cannot do multipart. */
  boolean upload(String target, String rel, Path file, long size) throws TrackingUnavailableException {
    int slash = target.lastIndexOf('/');
    String dir = slash < 0 ? "" : target.substring(0, slash);
    String name = target.substring(slash + 1);
    int parts = (int) Math.max(1, (size + partSize - 1) / partSize);
    JsonNode created;
    try {
      created = rest.post("mlflow-artifacts/mpu/create/" + MlflowRest.encodePath(dir), Map.of("path", name, "num_parts", parts));
    } catch (MlflowApiException e) {
      if (e.status() == 501) {
        return false;
      }
      throw e;
    }
    String uploadId = created.path("upload_id").asText();
    try {
      List<Map<String, Object>> done = new ArrayList<>();
      for (JsonNode c : created.path("credentials")) {
        int number = c.path("part_number").asInt();
        long offset = (number - 1L) * partSize;
        long length = Math.min(partSize, size - offset);
        Map<String, String> headers = new HashMap<>();
        c.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        String url = c.path("url").asText();
        String etag = rest.uploadPart(URI.create(url), headers, file, offset, length);
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("part_number", number);
        part.put("etag", etag);
        part.put("url", url);
        done.add(part);
      }
      if (done.size() != parts) {
        throw new IllegalStateException("upload of " + rel + ": the server gave " + done.size() + " part URLs for " + parts + " parts");
      }
      rest.post("mlflow-artifacts/mpu/complete/" + MlflowRest.encodePath(dir), Map.of("path", name, "upload_id", uploadId, "parts", done));
      return true;
    } catch (TrackingUnavailableException | RuntimeException e) {
      try {
        rest.post("mlflow-artifacts/mpu/abort/" + MlflowRest.encodePath(dir), Map.of("path", name, "upload_id", uploadId));
      } catch (TrackingUnavailableException | RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw e;
    }
  }
}
