package dev.kiln.engine;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.ir.tensor.TensorValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What CREATE MODEL's options make of an imported graph.
 * <ul>
 * <li>Text: {@code tokenizer = 'tokenizer.json'} (a WordPiece {@code tokenizer.json} of Hugging
 *     Face), {@code max_length} (tokens with [CLS] and [SEP], default 128), {@code pooling} =
 *     mean | cls | none (default mean), {@code normalize} = true | false (default false),
 *     {@code output} (the model output pooled, default its first). The model becomes one graph
 *     from a VARCHAR to an embedding ({@link TextModels}).</li>
 * <li>Images: {@code image_height} with {@code image_width} (a number, or 'auto' to keep each
 *     image's aspect), {@code channel_order} = rgb | bgr (default rgb; the image source's pixels are
 *     BGR), {@code scale} (default 1/255), {@code mean} and {@code std} (three numbers, default 0
 *     and 1), {@code layout} = nchw | nhwc (default nchw): a preprocessing graph before the model.</li>
 * <li>Decoding: {@code decoder = 'ctc'} with {@code keys = 'keys.txt'} (one label a line; class 0
 *     is the blank, class i label i, and with {@code space_char} (default true) a last class for
 *     ' ', as PaddleOCR's recognizers have) and {@code blank} (default 0): a decoder graph after
 *     the model whose output is a VARCHAR per row.</li>
 * </ul>
 * The steps before and after are graphs of their own (stages), so that the model in between -
 * float tensors in and out - is compiled, and rows of different image widths batch separately.
 */
final class ModelKinds {
    private ModelKinds() {}

    record Stages(Optional<TensorGraph> before, TensorGraph model, Optional<TensorGraph> after) {}

    static Stages build(String name, TensorGraph imported, ModelOptions o) {
        boolean text = o.has("tokenizer") || o.has("pooling") || o.has("max_length") || o.has("normalize");
        boolean image = o.has("image_height") || o.has("image_width");
        if (text && image) throw new KilnException("CREATE MODEL " + name + ": a model takes text (tokenizer) or images (image_height), not both");
        if (text) {
            String path = o.string("tokenizer").orElseThrow(() -> new KilnException("CREATE MODEL " + name + ": a text model needs tokenizer = 'path/tokenizer.json'"));
            var tokenizer = dev.kiln.frontend.text.TokenizerJson.wordPiece(ModelStatements.readOption(name, "tokenizer", path));
            int maxLength = o.integer("max_length", 128, 2);
            var pooling = TextModels.Pooling.valueOf(o.choice("pooling", "MEAN", "MEAN", "CLS", "NONE"));
            boolean normalize = o.flag("normalize", false);
            String output = o.string("output").orElse(imported.outputs().getFirst().name());
            TensorGraph model = TextModels.embedding(name, imported, tokenizer, maxLength, pooling, normalize, output);
            return new Stages(Optional.empty(), model, decoder(name, model, o));
        }
        Optional<TensorGraph> before = Optional.empty();
        if (image) before = Optional.of(ImageModels.preprocess(imagePreprocess(name, imported, o)));
        return new Stages(before, imported, decoder(name, imported, o));
    }

    private static ImageModels.Preprocess imagePreprocess(String name, TensorGraph model, ModelOptions o) {
        int height = o.integer("image_height", 0, 1);
        if (height == 0) throw new KilnException("CREATE MODEL " + name + ": image_width needs image_height");
        String w = o.string("image_width").orElseThrow(() -> new KilnException("CREATE MODEL " + name + ": image_height needs image_width (a number, or 'auto' to keep the aspect)"));
        int width;
        if (w.strip().equalsIgnoreCase("auto")) {
            width = 0;
        } else {
            try {
                width = Integer.parseInt(w.strip());
            } catch (NumberFormatException e) {
                throw o.bad("image_width", w, "a positive integer or 'auto'");
            }
            if (width < 1) throw o.bad("image_width", w, "a positive integer or 'auto'");
        }
        boolean rgb = o.choice("channel_order", "RGB", "RGB", "BGR").equals("RGB");
        float scale = o.number("scale", 1f / 255f);
        float[] mean = o.triple("mean", new float[] {0, 0, 0});
        float[] std = o.triple("std", new float[] {1, 1, 1});
        boolean nchw = o.choice("layout", "NCHW", "NCHW", "NHWC").equals("NCHW");
        if (model.inputs().size() != 1) {
            throw new KilnException("CREATE MODEL " + name + ": image preprocessing feeds one input, but the model takes " + model.inputs().stream().map(TensorValue::name).toList());
        }
        return new ImageModels.Preprocess(height, width, rgb, scale, mean, std, nchw);
    }

    private static Optional<TensorGraph> decoder(String name, TensorGraph model, ModelOptions o) {
        Optional<String> kind = o.string("decoder");
        if (kind.isEmpty()) {
            if (o.has("keys")) throw new KilnException("CREATE MODEL " + name + ": keys are for a decoder; add decoder = 'ctc'");
            return Optional.empty();
        }
        if (!kind.get().strip().equalsIgnoreCase("ctc")) throw o.bad("decoder", kind.get(), "ctc (the only decoder so far)");
        String path = o.string("keys").orElseThrow(() -> new KilnException("CREATE MODEL " + name + ": decoder = 'ctc' needs keys = 'path/keys.txt' (one label a line)"));
        List<String> labels = new ArrayList<>();
        labels.add(""); // the blank
        labels.addAll(ModelStatements.lines(ModelStatements.readOption(name, "keys", path)));
        if (o.flag("space_char", true)) labels.add(" ");
        int blank = o.integer("blank", 0, 0);
        if (blank != 0) {
            // the blank is class `blank`: labels shift around it
            labels.removeFirst();
            if (blank > labels.size()) throw o.bad("blank", String.valueOf(blank), "a class index up to " + labels.size());
            labels.add(blank, "");
        }
        return Optional.of(ImageModels.ctcDecoder(name, model.outputs().getFirst(), labels, blank));
    }
}
