package dev.kiln.connectors.files;

import dev.kiln.connectors.csv.CsvOptions;
import dev.kiln.ir.KilnException;
import dev.kiln.ir.type.Schema;
import java.util.Objects;
import java.util.Optional;

/**
 * The format of the files a {@link DirectorySource} reads: CSV and JSON Lines with a declared
 * schema, Parquet with its schema given or read from the first file.
 */
public sealed interface FileFormat {
    /** Short name, written to the source's file log: a log of one format is not read as another. */
    String name();

    /** The file names taken when no glob is given. */
    String defaultGlob();

    /** CSV with a header row naming the schema's columns in order (see {@link dev.kiln.connectors.csv.CsvRecordReader}). */
    static FileFormat csv(Schema schema) {
        return new Csv(CsvOptions.defaults().withSchema(schema));
    }

    static FileFormat json(Schema schema) {
        return new JsonLines(schema);
    }

    /** Parquet, the schema read from the first file's footer, every column made nullable (a later file may hold NULLs). */
    static FileFormat parquet() {
        return new Parquet(Optional.empty());
    }

    /** Parquet files read by column name into {@code schema}. */
    static FileFormat parquet(Schema schema) {
        return new Parquet(Optional.of(schema));
    }

    /** @param options delimiter, quote, header and NULL text; the schema must be declared */
    record Csv(CsvOptions options) implements FileFormat {
        public Csv {
            Objects.requireNonNull(options, "options");
            if (options.schema().isEmpty()) throw new KilnException("a CSV directory source needs a declared schema: give CsvOptions.withSchema(...)");
        }

        @Override
        public String name() {
            return "csv";
        }

        @Override
        public String defaultGlob() {
            return "*.csv";
        }
    }

    /** Newline-delimited JSON objects, read as {@link dev.kiln.connectors.json.JsonLinesReader} reads them. */
    record JsonLines(Schema schema) implements FileFormat {
        public JsonLines {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public String name() {
            return "json";
        }

        @Override
        public String defaultGlob() {
            return "*.{json,jsonl,ndjson}";
        }
    }

    record Parquet(Optional<Schema> schema) implements FileFormat {
        public Parquet {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public String name() {
            return "parquet";
        }

        @Override
        public String defaultGlob() {
            return "*.parquet";
        }
    }
}
