package dev.kiln.frontend.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.frontend.keras.SyntheticModel.Storage;
import dev.kiln.ir.tensor.Tensor;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorValue;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every supported layer and option that TF.js also implements, in small models with random
 * weights (float32 and the three quantized storages, one and several shards), run by Kiln's import
 * on the reference interpreter and by TensorFlow.js on the same files and inputs. Odd spatial sizes
 * make 'same' padding uneven; a rank-4 output checks the NHWC transposition back.
 */
class KerasLayersOracleTest {
    /** Float32 engines summing in different orders; values here stay within a few units. */
    static final double TOLERANCE = 2e-5;

    @TempDir Path tmp;

    static Map<String, Object> cfg(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Convolutions, pools, padding, normalization and Dense on rank 4; three outputs. */
    static SyntheticModel convolutions() {
        SyntheticModel m = SyntheticModel.functional("convs", 1, 9, 11, 4);
        // kernel 4 with stride 2 over 11 pads 3 columns: TF puts the odd one at the end
        m.layer("Conv2D", "c1", cfg("filters", 6, "kernel_size", List.of(3, 4), "strides", List.of(2, 2), "padding", "same",
                "activation", "relu6", "use_bias", true), "input");
        m.weight("c1", "kernel", -0.5, 0.5, 3, 4, 4, 6);
        m.weight("c1", "bias", -0.5, 0.5, 6);
        m.storage(Storage.UINT8);
        m.layer("Conv2D", "c2", cfg("filters", 6, "kernel_size", List.of(3, 2), "dilation_rate", 2, "padding", "same",
                "activation", "swish", "use_bias", false), "input");
        m.weight("c2", "kernel", -0.5, 0.5, 3, 2, 4, 6);
        m.layer("MaxPooling2D", "p2", cfg("pool_size", List.of(2, 3), "strides", 2, "padding", "same"), "c2");
        m.layer("Add", "a", cfg(), "c1", "p2");
        m.storage(Storage.FLOAT16);
        m.layer("DepthwiseConv2D", "d", cfg("kernel_size", 3, "depth_multiplier", 2, "padding", "same", "activation", "sigmoid"), "a");
        m.weight("d", "depthwise_kernel", -0.5, 0.5, 3, 3, 6, 2);
        m.weight("d", "bias", -0.5, 0.5, 12);
        m.storage(Storage.UINT16);
        m.layer("SeparableConv2D", "s", cfg("filters", 8, "kernel_size", 3, "padding", "valid", "activation", "tanh"), "d");
        m.weight("s", "depthwise_kernel", -0.5, 0.5, 3, 3, 12, 1);
        m.weight("s", "pointwise_kernel", -0.5, 0.5, 1, 1, 12, 8);
        m.weight("s", "bias", -0.5, 0.5, 8);
        m.storage(Storage.FLOAT32);
        m.layer("ZeroPadding2D", "zp", cfg("padding", List.of(List.of(1, 0), List.of(2, 1))), "s");
        m.layer("AveragePooling2D", "ap", cfg("pool_size", List.of(2, 3), "strides", 1, "padding", "same"), "zp");
        m.layer("BatchNormalization", "bn", cfg("axis", -1, "epsilon", 0.01, "center", false), "ap");
        m.weight("bn", "gamma", 0.5, 1.5, 8);
        m.weight("bn", "moving_mean", -0.5, 0.5, 8);
        m.weight("bn", "moving_variance", 0.5, 1.5, 8);
        m.layer("Concatenate", "cat", cfg("axis", 1), "bn", "zp");
        m.layer("Dense", "dn", cfg("units", 5, "activation", "hard_sigmoid"), "cat");
        m.weight("dn", "kernel", -0.5, 0.5, 8, 5);
        m.weight("dn", "bias", -0.5, 0.5, 5);
        m.layer("Flatten", "fl", cfg(), "dn");
        m.layer("Dense", "out", cfg("units", 4, "activation", "softmax"), "fl");
        m.weight("out", "kernel", -0.2, 0.2, 8 * 7 * 5, 4);
        m.weight("out", "bias", -0.5, 0.5, 4);
        m.layer("ZeroPadding2D", "zp2", cfg("padding", 2), "d");
        m.layer("GlobalAveragePooling2D", "gap", cfg(), "zp2");
        m.layer("GlobalMaxPooling2D", "gmp", cfg(), "s");
        m.layer("Concatenate", "pooled", cfg(), "gap", "gmp");
        // softmax over the channels of an NCHW value: Keras's last axis is the IR's axis 1
        m.layer("Activation", "channel_softmax", cfg("activation", "softmax"), "a");
        return m;
    }

    /** Merges, activation layers, rank-2 normalization, Rescaling, Reshape and Dense on rank 3. */
    static SyntheticModel merges() {
        SyntheticModel m = SyntheticModel.functional("merges", 2, 10);
        m.layer("Rescaling", "rs", cfg("scale", 1.0 / 3, "offset", -0.5), "input");
        m.layer("Dense", "d1", cfg("units", 8, "activation", "softplus"), "rs");
        m.weight("d1", "kernel", -0.5, 0.5, 10, 8);
        m.weight("d1", "bias", -0.5, 0.5, 8);
        m.layer("Dense", "d2", cfg("units", 8, "use_bias", false), "rs");
        m.weight("d2", "kernel", -0.5, 0.5, 10, 8);
        // TF.js has no Subtract layer; KerasImporterTest checks it against a hand-computed answer
        m.layer("Average", "avg", cfg(), "d1", "d2");
        m.layer("Multiply", "mul", cfg(), "d1", "d2", "avg");
        m.layer("Maximum", "max", cfg(), "d1", "d2", "avg");
        m.layer("Minimum", "min", cfg(), "d1", "d2");
        m.layer("LeakyReLU", "lr", cfg("alpha", 0.2), "d2");
        m.layer("ReLU", "relu", cfg("max_value", 0.1), "mul");
        m.layer("BatchNormalization", "bn", cfg("axis", 1, "scale", false), "avg");
        m.weight("bn", "beta", -0.5, 0.5, 8);
        m.weight("bn", "moving_mean", -0.5, 0.5, 8);
        m.weight("bn", "moving_variance", 0.5, 1.5, 8);
        m.layer("Activation", "act", cfg("activation", "relu"), "max");
        m.layer("Dropout", "drop", cfg("rate", 0.5), "min");
        m.layer("Concatenate", "cat", cfg(), "lr", "relu", "bn", "act", "drop");
        // TF.js cannot size a Dense after a -1 in target_shape; KerasImporterTest covers -1
        m.layer("Reshape", "r", cfg("target_shape", List.of(5, 8)), "cat");
        m.layer("Dense", "d3", cfg("units", 3, "activation", "tanh"), "r");
        m.weight("d3", "kernel", -0.5, 0.5, 8, 3);
        m.weight("d3", "bias", -0.5, 0.5, 3);
        m.layer("Softmax", "sm", cfg("axis", -1), "d3");
        return m;
    }

    /** A Sequential model without an InputLayer, its weights in uint8 spread over three shards. */
    static SyntheticModel sequential() {
        SyntheticModel m = SyntheticModel.sequential("seq", 3).storage(Storage.UINT8).shardSize(100);
        m.layer("Conv2D", "conv", cfg("batch_input_shape", Arrays.asList(null, 7, 5, 2), "filters", 4, "kernel_size", 2,
                "strides", List.of(1, 2), "activation", "relu"));
        m.weight("conv", "kernel", -0.5, 0.5, 2, 2, 2, 4);
        m.weight("conv", "bias", -0.5, 0.5, 4);
        m.layer("MaxPooling2D", "pool", cfg("pool_size", 2));
        m.layer("Flatten", "flat", cfg());
        m.layer("Dense", "dense", cfg("units", 3, "activation", "sigmoid"));
        m.weight("dense", "kernel", -0.5, 0.5, 3 * 1 * 4, 3);
        m.weight("dense", "bias", -0.5, 0.5, 3);
        return m;
    }

    /** One Conv2D called twice (a shared layer: its second call is node 1). */
    static SyntheticModel shared() {
        SyntheticModel m = SyntheticModel.functional("shared", 4, 6, 6, 3);
        m.layer("Conv2D", "conv", cfg("filters", 3, "kernel_size", 3, "padding", "same", "activation", "tanh"), "input");
        m.weight("conv", "kernel", -0.5, 0.5, 3, 3, 3, 3);
        m.weight("conv", "bias", -0.5, 0.5, 3);
        m.call("conv", "conv");
        m.layer("Add", "sum", cfg(), "conv", "conv@1");
        return m;
    }

    @Test
    void layersMatchTensorFlowJs() throws Exception {
        Optional<String> noOracle = TfjsOracle.unavailable();
        assumeTrue(noOracle.isEmpty(), () -> "skipped: " + noOracle.orElseThrow());
        record Case(String name, Path model, TensorGraph graph, Tensor input, TfjsOracle.Result tf) {}
        TfjsOracle oracle = new TfjsOracle(tmp);
        List<Case> cases = new ArrayList<>();
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("convolutions", convolutions().write(tmp.resolve("convs"), "out", "d", "pooled", "channel_softmax"));
        models.put("merges", merges().write(tmp.resolve("merges"), "sm", "cat"));
        models.put("sequential", sequential().write(tmp.resolve("seq")));
        models.put("shared", shared().write(tmp.resolve("shared"), "sum", "conv@1"));
        Random random = new Random(42);
        for (var e : models.entrySet()) {
            TensorGraph g = KerasImporter.read(e.getValue());
            long[] shape = g.inputs().getFirst().type().shape().dims().stream()
                    .mapToLong(d -> d instanceof dev.kiln.ir.tensor.Dim.Fixed f ? f.size() : 2).toArray();
            float[] x = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
            for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 2 - 1);
            Tensor input = Tensor.floats(shape, x);
            cases.add(new Case(e.getKey(), e.getValue(), g, input, oracle.predict(e.getValue(), List.of(), x, shape)));
        }
        oracle.run();
        for (Case c : cases) {
            Map<String, Tensor> kiln = TensorInterpreter.run(c.graph(), Map.of(c.graph().inputs().getFirst().name(), c.input()));
            List<float[]> tf = c.tf().outputs();
            assertEquals(tf.size(), kiln.size(), c.name() + ": output count");
            int i = 0;
            for (TensorValue out : c.graph().outputs()) {
                float[] k = NsfwjsPreprocessing.floats(kiln.get(out.name()));
                float[] t = tf.get(i++);
                assertEquals(t.length, k.length, c.name() + " output " + out.name() + " size");
                double diff = NsfwjsModelTest.maxAbsDiff(k, t);
                assertTrue(diff <= TOLERANCE, c.name() + " output " + out.name() + " " + out.type() + " differs from TF.js by " + diff
                        + "\nkiln " + Arrays.toString(Arrays.copyOf(k, Math.min(12, k.length)))
                        + "\ntfjs " + Arrays.toString(Arrays.copyOf(t, Math.min(12, t.length))));
                // the comparison means something only if the outputs vary
                assertTrue(NsfwjsModelTest.maxAbs(t) > 0, c.name() + " output " + out.name() + " is all zero");
            }
        }
    }
}
