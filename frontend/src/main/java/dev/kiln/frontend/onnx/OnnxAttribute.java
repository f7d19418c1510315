package dev.kiln.frontend.onnx;

import dev.kiln.ir.KilnException;
import java.util.List;

/**
 * A node attribute ({@code AttributeProto}): a name and one typed value. The typed getters fail
 * with the attribute's name and actual type when the model holds another type, so an importer can
 * read {@code node.attribute("axis").map(OnnxAttribute::i)} without checking types itself.
 */
public record OnnxAttribute(String name, Value value) {
    /** The value, one case per attribute type Kiln reads. */
    public sealed interface Value {
        AttributeType type();
    }

    public record FloatValue(float value) implements Value {
        public AttributeType type() { return AttributeType.FLOAT; }
    }

    public record IntValue(long value) implements Value {
        public AttributeType type() { return AttributeType.INT; }
    }

    /** A string attribute (UTF-8 bytes in the file). */
    public record StringValue(String value) implements Value {
        public AttributeType type() { return AttributeType.STRING; }
    }

    public record TensorValue(OnnxTensor value) implements Value {
        public AttributeType type() { return AttributeType.TENSOR; }
    }

    /** A subgraph: the body of If, Loop or Scan. */
    public record GraphValue(OnnxGraph value) implements Value {
        public AttributeType type() { return AttributeType.GRAPH; }
    }

    public record FloatsValue(List<Float> values) implements Value {
        public FloatsValue { values = List.copyOf(values); }
        public AttributeType type() { return AttributeType.FLOATS; }
    }

    public record IntsValue(List<Long> values) implements Value {
        public IntsValue { values = List.copyOf(values); }
        public AttributeType type() { return AttributeType.INTS; }
    }

    public record StringsValue(List<String> values) implements Value {
        public StringsValue { values = List.copyOf(values); }
        public AttributeType type() { return AttributeType.STRINGS; }
    }

    public record TensorsValue(List<OnnxTensor> values) implements Value {
        public TensorsValue { values = List.copyOf(values); }
        public AttributeType type() { return AttributeType.TENSORS; }
    }

    public record GraphsValue(List<OnnxGraph> values) implements Value {
        public GraphsValue { values = List.copyOf(values); }
        public AttributeType type() { return AttributeType.GRAPHS; }
    }

    /**
     * A sparse tensor or type attribute: kept by type only, so that the model still reads and
     * the importer can name the attribute when it needs the value.
     */
    public record NotRead(AttributeType type) implements Value {}

    public AttributeType type() {
        return value.type();
    }

    public float f() {
        if (value instanceof FloatValue(float v)) return v;
        throw mismatch(AttributeType.FLOAT);
    }

    public long i() {
        if (value instanceof IntValue(long v)) return v;
        throw mismatch(AttributeType.INT);
    }

    public String s() {
        if (value instanceof StringValue(String v)) return v;
        throw mismatch(AttributeType.STRING);
    }

    public OnnxTensor t() {
        if (value instanceof TensorValue(OnnxTensor v)) return v;
        throw mismatch(AttributeType.TENSOR);
    }

    public OnnxGraph g() {
        if (value instanceof GraphValue(OnnxGraph v)) return v;
        throw mismatch(AttributeType.GRAPH);
    }

    public List<Float> floats() {
        if (value instanceof FloatsValue(List<Float> v)) return v;
        throw mismatch(AttributeType.FLOATS);
    }

    public List<Long> ints() {
        if (value instanceof IntsValue(List<Long> v)) return v;
        throw mismatch(AttributeType.INTS);
    }

    public List<String> strings() {
        if (value instanceof StringsValue(List<String> v)) return v;
        throw mismatch(AttributeType.STRINGS);
    }

    public List<OnnxTensor> tensors() {
        if (value instanceof TensorsValue(List<OnnxTensor> v)) return v;
        throw mismatch(AttributeType.TENSORS);
    }

    public List<OnnxGraph> graphs() {
        if (value instanceof GraphsValue(List<OnnxGraph> v)) return v;
        throw mismatch(AttributeType.GRAPHS);
    }

    private KilnException mismatch(AttributeType wanted) {
        return new KilnException("attribute '" + name + "' is " + type() + " where " + wanted + " was expected");
    }
}
