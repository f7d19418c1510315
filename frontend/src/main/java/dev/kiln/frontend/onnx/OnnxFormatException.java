package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;

/**
 * An ONNX model or tensor file that cannot be read: truncated, corrupt, not ONNX at all, or using
 * a feature Kiln does not read (external data, sparse initializers). The message names the file,
 * the byte offset and the protobuf path being read ({@code graph.node[12].attribute[2].t.raw_data}),
 * so a broken file can be inspected with a hex dump at that offset.
 */
public final class OnnxFormatException extends KilnException {
    private final String source;
    private final long offset;
    private final String path;
    private final String what;

    public OnnxFormatException(String source, long offset, String path, String what) {
        super(source + ": " + what + (offset >= 0 ? " (at byte " + offset + ", reading " + path + ")" : " (" + path + ")"));
        this.source = source;
        this.offset = offset;
        this.path = path;
        this.what = what;
    }

    /** The file or resource read, as the caller named it. */
    public String source() {
        return source;
    }

    /** Byte offset in the source where the problem was found; -1 when it is not about one byte. */
    public long offset() {
        return offset;
    }

    /** The protobuf message path being read, e.g. {@code graph.initializer[3].raw_data}. */
    public String path() {
        return path;
    }

    /** What is wrong, without the location. */
    public String what() {
        return what;
    }
}
