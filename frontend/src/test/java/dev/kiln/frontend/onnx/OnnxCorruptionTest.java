package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Damaged inputs end in an {@link OnnxFormatException} or a correct parse, never another
 * exception: every truncation of a hand-built model, random byte changes, random bytes.
 */
class OnnxCorruptionTest {
    private static final ProtoBytes MODEL = TestModels.model();
    private static final byte[] BYTES = MODEL.toByteArray();

    @Test
    void everyTruncationFailsCleanlyUnlessItEndsOnAWholeField() {
        List<Integer> wholeFields = MODEL.fieldEnds();
        int parsed = 0;
        for (int length = 0; length < BYTES.length; length++) {
            byte[] prefix = java.util.Arrays.copyOf(BYTES, length);
            try {
                OnnxModel m = OnnxModel.read(prefix, "cut");
                touch(m);
                parsed++;
                if (!wholeFields.contains(length)) fail("a prefix of " + length + " bytes, inside a field, was read as a model");
            } catch (OnnxFormatException expected) {
                // the message must name the file
                assertTrue(expected.getMessage().startsWith("cut: "), expected.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("prefix of " + length + " bytes: " + e, e);
            }
        }
        // those ending after the graph, the two opset imports and the metadata (the functions end the file)
        assertTrue(parsed == 4, "prefixes read as models: " + parsed);
    }

    @Property(tries = 3000)
    void changedBytesFailCleanly(@ForAll("positions") List<Integer> positions, @ForAll @Size(5) List<Byte> values) {
        byte[] bytes = BYTES.clone();
        for (int i = 0; i < positions.size(); i++) bytes[positions.get(i)] = values.get(i % values.size());
        readOrFormatError(bytes);
    }

    @Property(tries = 2000)
    void randomBytesFailCleanly(@ForAll @Size(max = 64) List<Byte> values) {
        byte[] bytes = new byte[values.size()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = values.get(i);
        readOrFormatError(bytes);
        try {
            touch(OnnxTensor.read(bytes, "random.pb"));
        } catch (OnnxFormatException expected) {
            // fine
        }
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, BYTES.length - 1).list().ofMinSize(1).ofMaxSize(3);
    }

    private static void readOrFormatError(byte[] bytes) {
        try {
            touch(OnnxModel.read(bytes, "damaged"));
        } catch (OnnxFormatException expected) {
            // fine
        }
    }

    /** Reads every value the model holds, the way an importer would. */
    private static void touch(OnnxModel m) {
        touch(m.graph());
    }

    private static void touch(OnnxGraph g) {
        g.initializers().forEach(OnnxCorruptionTest::touch);
        for (OnnxNode n : g.nodes()) {
            for (OnnxAttribute a : n.attributes()) {
                switch (a.value()) {
                    case OnnxAttribute.TensorValue(OnnxTensor t) -> touch(t);
                    case OnnxAttribute.TensorsValue(List<OnnxTensor> ts) -> ts.forEach(OnnxCorruptionTest::touch);
                    case OnnxAttribute.GraphValue(OnnxGraph sub) -> touch(sub);
                    case OnnxAttribute.GraphsValue(List<OnnxGraph> subs) -> subs.forEach(OnnxCorruptionTest::touch);
                    default -> { }
                }
            }
        }
    }

    /** The accessor that fits the tensor's type; a STRING's bytes may be invalid UTF-8 after damage. */
    static void touch(OnnxTensor t) {
        switch (t.type()) {
            case FLOAT, FLOAT16, BFLOAT16 -> t.floats();
            case DOUBLE -> t.doubles();
            case INT64, UINT64, UINT32 -> t.longs();
            case INT32, INT16, UINT16 -> t.ints();
            case INT8, UINT8 -> t.bytes();
            case BOOL -> t.booleans();
            case STRING -> {
                try {
                    t.strings();
                } catch (dev.kiln.ir.KilnException e) {
                    assertTrue(e.getMessage().contains("is not valid UTF-8"), e.getMessage());
                }
            }
            default -> { }
        }
    }
}
