package dev.kiln.connectors.files;

import dev.kiln.ir.KilnException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link DirectorySource} takes files.
 *
 * @param glob               which file names to take, as a {@code java.nio} glob matched against
 *                           the name alone (e.g. {@code "*.csv"}, {@code "events-*.{json,jsonl}"});
 *                           empty: the format's default. Names starting with '.' or '_' are never taken.
 * @param maxFilesPerTrigger the most files one {@code latest()} call adds to the source (the oldest
 *                           first); the rest wait for the next call
 * @param settle             how long a file's size and modification time must stay the same, as the
 *                           source sees them over its scans, before the file is taken (a writer may
 *                           still be appending to it until then). {@link Duration#ZERO}: take a file as
 *                           soon as it is seen, for writers that write under a hidden name and rename
 *                           the file into place (see {@link #renamedIntoPlace()})
 * @param scanInterval       {@code latest()} lists the directory at most this often; calls in
 *                           between answer what the last scan found
 */
public record DirectoryOptions(Optional<String> glob, int maxFilesPerTrigger, Duration settle, Duration scanInterval) {
    public DirectoryOptions {
        Objects.requireNonNull(glob, "glob");
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(scanInterval, "scanInterval");
        if (maxFilesPerTrigger < 1) throw new KilnException("maxFilesPerTrigger must be at least 1, not " + maxFilesPerTrigger);
        if (settle.isNegative()) throw new KilnException("the settle time cannot be negative: " + settle);
        if (scanInterval.isNegative()) throw new KilnException("the scan interval cannot be negative: " + scanInterval);
    }

    /** The format's files, no limit per trigger, a file taken once unchanged for 1 s, a scan at most every 10 ms. */
    public static DirectoryOptions defaults() {
        return new DirectoryOptions(Optional.empty(), Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMillis(10));
    }

    public DirectoryOptions withGlob(String g) {
        return new DirectoryOptions(Optional.of(g), maxFilesPerTrigger, settle, scanInterval);
    }

    public DirectoryOptions withMaxFilesPerTrigger(int n) {
        return new DirectoryOptions(glob, n, settle, scanInterval);
    }

    public DirectoryOptions withSettle(Duration d) {
        return new DirectoryOptions(glob, maxFilesPerTrigger, d, scanInterval);
    }

    /** Files are complete when they appear: writers write them under a name starting with '.' or '_' and rename them into place. */
    public DirectoryOptions renamedIntoPlace() {
        return withSettle(Duration.ZERO);
    }

    public DirectoryOptions withScanInterval(Duration d) {
        return new DirectoryOptions(glob, maxFilesPerTrigger, settle, d);
    }
}
