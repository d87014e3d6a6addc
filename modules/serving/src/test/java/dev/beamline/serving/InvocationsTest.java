package dev.beamline.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.scoring.RawRows;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request bodies read as MLflow's scoring server reads them, with its status codes and messages for mistakes. */
class InvocationsTest {
  static RawRows parse(String contentType, String body) throws BadRequest {
    return Invocations.parse(contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static BadRequest refused(String contentType, String body) {
    return assertThrows(BadRequest.class, () -> parse(contentType, body));
  }

  @Test
  void everyJsonFormatGivesTheSameRows() throws Exception {
    List<RawRows> forms = List.of(
        parse("application/json", "{\"dataframe_split\": {\"columns\": [\"age\", \"job\"], \"data\": [[39, \"clerk\"], [50, null]]}}"),
        parse("application/json", "{\"dataframe_records\": [{\"age\": 39, \"job\": \"clerk\"}, {\"age\": 50, \"job\": null}]}"),
        parse("application/json; charset=UTF-8", "{\"instances\": [{\"age\": 39, \"job\": \"clerk\"}, {\"age\": 50, \"job\": null}]}"),
        parse("application/json", "{\"inputs\": {\"age\": [39, 50], \"job\": [\"clerk\", null]}}"),
        parse("text/csv", "age,job\n39,clerk\n50,\n"));
    for (RawRows rows : forms) {
      assertEquals(2, rows.size());
      assertEquals(List.of("age", "job"), rows.columns());
      assertEquals("clerk", rows.cell(0, 1));
      assertNull(rows.cell(1, 1), "null and an empty CSV cell are missing values");
      assertEquals(50.0, Double.parseDouble(String.valueOf(rows.cell(1, 0))));
    }
    assertEquals(39L, forms.get(0).cell(0, 0), "JSON integers stay integers");
  }

  @Test
  void aRecordWithoutAColumnHasItAbsentNotMissing() throws Exception {
    RawRows rows = parse("application/json", "{\"dataframe_records\": [{\"age\": 39}, {\"job\": \"clerk\"}]}");
    assertEquals(RawRows.ABSENT, rows.cell(0, 1));
    assertEquals(RawRows.ABSENT, rows.cell(1, 0));
  }

  @Test
  void malformedBodiesAre400BadRequestNamingTheProblem() {
    BadRequest e = refused("application/json", "{\"dataframe_split\": ");
    assertEquals(400, e.status);
    assertEquals("BAD_REQUEST", e.errorCode);
    assertTrue(e.getMessage().contains("line 1, column 21"), e.getMessage());
    assertTrue(refused("application/json", "[1, 2]").getMessage().endsWith("Received a list."));
    assertTrue(refused("application/json", "{\"rows\": []}").getMessage().contains("Received dictionary with input fields: [rows]"));
    assertTrue(refused("application/json", "{\"inputs\": [], \"instances\": []}").getMessage().contains("exactly one of"));
    assertTrue(refused("application/json", "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1, 2]]}}").getMessage()
        .contains("row 0 has 2 values for 1 columns"));
    assertTrue(refused("application/json", "{\"inputs\": {\"a\": [1, 2], \"b\": [1]}}").getMessage().contains("column 'b' has 1 values"));
    assertTrue(refused("text/csv", "a,b\n1\n").getMessage().contains("Line 2 has 1 fields for 2 columns"));
    assertEquals(400, assertThrows(BadRequest.class, () -> Invocations.parse("application/json", new byte[] {(byte) 0xC3, (byte) 0x28})).status);
  }

  @Test
  void otherMediaTypesAndCharsetsAre415InPlainText() {
    for (String type : new String[] {"text/plain", null, "application/json; charset=latin-1", "application/json; boundary=x"}) {
      BadRequest e = refused(type, "{}");
      assertEquals(415, e.status, type);
      assertTrue(e.plainText, type);
    }
    assertEquals("The scoring server only supports UTF-8", refused("application/json; charset=latin-1", "{}").getMessage());
  }

  @Test
  void predictionsAreWrittenAsMlflowWritesThem() {
    assertArrayEquals("{\"predictions\": [0.25, 0.5]}".getBytes(StandardCharsets.UTF_8),
        ScoringServer.predictions(new float[][] {{0.25f}, {0.5f}}, false));
    assertArrayEquals("{\"predictions\": [[0.25, 0.75]]}".getBytes(StandardCharsets.UTF_8),
        ScoringServer.predictions(new float[][] {{0.25f, 0.75f}}, true));
  }
}
