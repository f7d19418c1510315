package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;

/**
 * An ONNX model Kiln cannot import: an unsupported op, attribute value, domain or type, or a node
 * whose inputs do not type. The message names the model, the node (name, op type, opset, domain)
 * and what to do about it.
 */
public class OnnxImportException extends KilnException {
    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
