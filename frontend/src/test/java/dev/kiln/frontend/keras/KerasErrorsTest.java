package dev.kiln.frontend.keras;

import static dev.kiln.frontend.keras.KerasLayersOracleTest.cfg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad models fail at import with a message naming the file, the layer and its class, or the weight. */
class KerasErrorsTest {
    @TempDir Path tmp;

    /** input [N, 4, 4, 2] → Conv2D "c" (3 filters, 2x2, bias) → Dense "d" (2 units). */
    SyntheticModel small() {
        SyntheticModel m = SyntheticModel.functional("small", 7, 4, 4, 2);
        m.layer("Conv2D", "c", cfg("filters", 3, "kernel_size", 2), "input");
        m.weight("c", "kernel", -1, 1, 2, 2, 2, 3);
        m.weight("c", "bias", -1, 1, 3);
        m.layer("Dense", "d", cfg("units", 2), "c");
        m.weight("d", "kernel", -1, 1, 3, 2);
        m.weight("d", "bias", -1, 1, 2);
        return m;
    }

    String error(Path json) {
        return assertThrows(KerasFormatException.class, () -> KerasImporter.read(json)).getMessage();
    }

    @Test
    void unsupportedLayersAreAllNamed() throws IOException {
        SyntheticModel m = SyntheticModel.functional("rnn", 0, 4, 4, 2);
        m.layer("Cropping2D", "crop", cfg("cropping", 1), "input");
        m.layer("LSTM", "lstm", cfg("units", 2), "crop");
        Path json = m.write(tmp.resolve("rnn"), "lstm");
        assertEquals(json + ": model 'rnn' uses layers Kiln does not import: [layer 'crop' (Cropping2D), layer 'lstm' (LSTM)]; supported: "
                + LayerLowerings.supported(), error(json));
    }

    @Test
    void truncatedShard() throws IOException {
        Path json = small().write(tmp.resolve("m"), "d");
        Path shard = json.resolveSibling("group1-shard1of1");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length - 3));
        assertEquals(json + ": weight group 0 [group1-shard1of1]: its 4 weights take " + b.length + " bytes but the shards hold "
                + (b.length - 3), error(json));
    }

    @Test
    void missingShard() throws IOException {
        Path json = small().write(tmp.resolve("m"), "d");
        Files.delete(json.resolveSibling("group1-shard1of1"));
        assertEquals(json + ": cannot read weight shard " + json.resolveSibling("group1-shard1of1") + ": java.nio.file.NoSuchFileException: "
                + json.resolveSibling("group1-shard1of1"), error(json));
    }

    @Test
    void weightOfTheWrongShape() throws IOException {
        SyntheticModel m = SyntheticModel.functional("small", 7, 4, 4, 2);
        m.layer("Conv2D", "c", cfg("filters", 3, "kernel_size", 2), "input");
        m.weight("c", "kernel", -1, 1, 3, 3, 2, 3);
        m.weight("c", "bias", -1, 1, 3);
        Path json = m.write(tmp.resolve("m"), "c");
        assertEquals(json + ": layer 'c' (Conv2D): weight 'c/kernel' has shape [3, 3, 2, 3], expected [2, 2, 2, 3]", error(json));
    }

    @Test
    void missingAndUnusedWeights() throws IOException {
        SyntheticModel m = SyntheticModel.functional("small", 7, 3);
        m.layer("Dense", "d", cfg("units", 2), "input");
        m.weight("d", "kernel", -1, 1, 3, 2);
        Path json = m.write(tmp.resolve("missing"), "d");
        assertEquals(json + ": layer 'd' (Dense): weight 'd/bias' is not in weightsManifest; the layer's weights there are [d/kernel]", error(json));

        m.weight("d", "bias", -1, 1, 2);
        m.weight("e", "kernel", -1, 1, 2);
        json = m.write(tmp.resolve("unused"), "d");
        assertEquals(json + ": 1 weights in weightsManifest belong to no layer: [e/kernel]", error(json));
    }

    @Test
    void unsupportedOptions() throws IOException {
        SyntheticModel m = SyntheticModel.functional("opts", 7, 3);
        m.layer("Activation", "a", cfg("activation", "selu"), "input");
        Path json = m.write(tmp.resolve("act"), "a");
        assertEquals(json + ": layer 'a' (Activation): activation 'selu' is not supported; supported: " + Activations.SUPPORTED, error(json));

        m = SyntheticModel.functional("opts", 7, 4, 4, 2);
        m.layer("MaxPooling2D", "p", cfg("data_format", "channels_first"), "input");
        json = m.write(tmp.resolve("cf"), "p");
        assertEquals(json + ": layer 'p' (MaxPooling2D): data_format 'channels_first' is not supported, only channels_last", error(json));

        m = SyntheticModel.functional("opts", 7, 4, 4, 2);
        m.layer("BatchNormalization", "bn", cfg("axis", 1), "input");
        json = m.write(tmp.resolve("bn"), "bn");
        assertEquals(json + ": layer 'bn' (BatchNormalization): normalizes axis 1 of an input shaped [N, 4, 4, 2]; only the channel axis"
                + " of a rank-4 input, or axis 1, is supported", error(json));
    }

    @Test
    void brokenTopology() throws IOException {
        SyntheticModel m = SyntheticModel.functional("broken", 7, 3);
        m.layer("Dropout", "drop", cfg("rate", 0.5), "nowhere");
        Path json = m.write(tmp.resolve("dangling"), "drop");
        assertEquals(json + ": layer 'drop' (Dropout) waits for [nowhere[0][0]], which no layer produces", error(json));

        json = small().write(tmp.resolve("out"), "nope");
        assertEquals(json + ": output layer 'nope' is not in the model", error(json));
    }

    @Test
    void notAKerasModel() throws IOException {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, "{\"modelTopology\": {\"class_name\": \"Model\", \"config\": {\"layers\": [}}");
        String message = error(json);
        assertTrue(message.startsWith(json + ": not valid JSON: Unexpected close marker '}'"), message);
        assertTrue(message.endsWith(" at line 1, column 65"), message);

        Files.writeString(json, "{\"format\": \"graph-model\", \"modelTopology\": {\"node\": []}, \"weightsManifest\": []}");
        assertEquals(json + ": modelTopology has class_name ''; only Sequential, Model and Functional (the Keras layers format) are"
                + " imported (this looks like a TF.js graph model, which is not a Keras model)", error(json));

        Files.writeString(json, "{\"weightsManifest\": []}");
        assertEquals(json + ": has no modelTopology; a TF.js layers model.json holds modelTopology and weightsManifest", error(json));
    }
}
