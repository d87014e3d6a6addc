package dev.beamline.plugins.parquet;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file's top-level fields as Beamline sees them, and how a schema's columns bind to them (by name: exactly, else the
 * one field whose name matches ignoring case).
 *
 * @param fields the fields in the file's order
 */
record Fields(List<Field> fields) {
  /**
   * One field.
   *
   * @param name its name
   * @param position its position among the file's fields
   * @param kind what Beamline reads it as
   * @param type the file's type of it, for messages
   * @param whole whether it holds whole numbers (a 32- or 64-bit integer without a logical type), as a key must
   */
  record Field(String name, int position, FieldKind kind, String type, boolean whole) {}

  Optional<Field> find(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return Optional.of(f);
      }
    }
    List<Field> matches = fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).toList();
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }

  /** The columns of every readable field but the key: numbers and decimals numeric, the rest categorical. */
  Schema infer(String keyColumn) {
    List<Column> columns = new ArrayList<>();
    for (Field f : fields) {
      ColumnType t = f.kind().inferred();
      if (t != null && !f.name().equals(keyColumn)) {
        columns.add(t == ColumnType.NUMERIC ? Column.numeric(f.name()) : Column.categorical(f.name()));
      }
    }
    return new Schema(columns);
  }

  /** The field each of the schema's columns reads, or an error naming the file, the column and what to do. */
  Field[] bind(Schema schema, String file, String source) {
    Field[] out = new Field[schema.columns().size()];
    for (int i = 0; i < out.length; i++) {
      Column c = schema.columns().get(i);
      Field f = find(c.name()).orElseThrow(() -> new ConfigException("source '" + source + "': " + file + " has no field '" + c.name()
          + "' (its fields: " + String.join(", ", fields.stream().map(Field::name).toList()) + ")"));
      if (!f.kind().reads(c.type())) {
        throw new ConfigException("source '" + source + "': field '" + f.name() + "' of " + file + " is " + f.type()
            + ", which Beamline cannot read as " + c.type().name().toLowerCase()
            + (f.kind().temporal() ? "; declare it categorical (read as ISO-8601 text) and make features of it with the datetime step"
                : f.kind() == FieldKind.UNREADABLE ? "; leave it out of the schema (nested, repeated and binary fields are not read)" : ""));
      }
      out[i] = f;
    }
    return out;
  }

  /** The key field, which must be a whole number, or an error naming the file and the field. */
  Field key(String keyColumn, String file, String source) {
    Field f = find(keyColumn).orElseThrow(() -> new ConfigException("source '" + source + "': " + file + " has no field '" + keyColumn
        + "' (sources." + source + ".keyColumn)"));
    if (!f.whole()) {
      throw new ConfigException("source '" + source + "': keyColumn '" + keyColumn + "' of " + file + " is " + f.type()
          + "; it must be a whole number (a 32- or 64-bit integer)");
    }
    return f;
  }
}
