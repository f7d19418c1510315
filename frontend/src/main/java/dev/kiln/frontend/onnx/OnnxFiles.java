package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads whole ONNX files into memory. Protobuf messages are limited to 2 GiB, so ONNX models
 * larger than that keep their weights in external data files, which Kiln does not read; such a
 * file is refused before anything is allocated.
 */
final class OnnxFiles {
    private OnnxFiles() {}

    /** The largest file read: the JDK's array limit, just under protobuf's 2 GiB. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    static byte[] readAll(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) throw tooLarge(file.toString(), size);
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KilnException("ONNX file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] readAll(InputStream in, String source) throws IOException {
        byte[] bytes = in.readNBytes((int) MAX_BYTES);
        if (bytes.length == MAX_BYTES && in.read() >= 0) throw tooLarge(source, -1);
        return bytes;
    }

    private static OnnxFormatException tooLarge(String source, long size) {
        return new OnnxFormatException(source, -1, "(file)", (size >= 0 ? "the file is " + size + " bytes" : "the stream is over 2 GiB")
                + "; ONNX protobuf files are limited to 2 GiB, and larger models keep their weights in external data files,"
                + " which Kiln does not read yet");
    }
}
