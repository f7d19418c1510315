package dev.kiln.connectors.kafka;

import dev.kiln.connectors.json.JsonLinesReader;
import dev.kiln.connectors.json.JsonRecordParser;
import dev.kiln.ir.type.Schema;

/**
 * Decodes record values that are JSON objects with the fast, schema-directed parser of the JSON
 * Lines reader ({@link JsonRecordParser}): the same type rules as {@link JsonLinesReader} (strict:
 * {@code 1.5} is not an integer, {@code "12"} is not a number, digits a DECIMAL would round away
 * are a bad record; TIMESTAMP from ISO text or epoch milliseconds) and the same reasons for a bad
 * record, ending in {@code at column N}. Values go straight from the record's bytes into the
 * {@link RowSink}: one copy of the record into a scratch array, no String or object per record.
 * Line breaks between tokens are whitespace (a pretty-printed object is fine); an empty value
 * is a bad record.
 *
 * <p>Compared with {@link JsonObjectDecoder}: that one is lenient (numbers in strings, dates as
 * text for TIMESTAMP) and slower; this one is what a producer that writes typed JSON should be
 * read with. One decoder per source: it keeps scratch arrays between records.
 */
public final class JsonRecordDecoder implements RecordDecoder {
    private final JsonRecordParser parser;
    /** The last sink checked against the schema (a source uses one sink for a whole read). */
    private RowSink checked;

    /** A decoder for rows of {@code schema}; a column type JSON cannot be read into is refused here, naming the column. */
    public JsonRecordDecoder(Schema schema) {
        this.parser = new JsonRecordParser(schema);
    }

    public Schema schema() {
        return parser.schema();
    }

    @Override
    public void decode(byte[] value, int offset, int length, RowSink out) {
        if (out != checked) {
            if (!out.schema().equals(parser.schema())) {
                throw new IllegalStateException("a JsonRecordDecoder for " + parser.schema() + " was given a row of " + out.schema() + "; make the decoder with the source's schema");
            }
            checked = out;
        }
        try {
            parser.parse(value, offset, length, out);
        } catch (JsonRecordParser.InvalidRecordException e) {
            throw new BadRecordException(e.getMessage());
        }
    }
}
