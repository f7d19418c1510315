package dev.kiln.ir.tensor;

import java.util.List;

/** Output types of {@link TextOp}s. */
final class TextTyping {
    private TextTyping() {}

    static List<TensorType> infer(TextOp op, NodeTyping t) {
        return switch (op) {
            case TextOp.WordPieceEncode w -> {
                t.arity(1, 1, 3, 3);
                t.requireElement(0, ElementType.STRING);
                t.requireRank(0, 1);
                Dim n = t.shape(0).dim(0);
                // the padded length is the longest row's: known when the texts are (the interpreter), else a fresh symbol
                Dim len = t.constant(0).map(texts -> Dim.of(longest(w, texts))).orElseGet(() -> t.fresh(0, 1));
                TensorType ids = new TensorType(ElementType.INT64, TensorShape.of(n, len));
                yield List.of(ids, ids, ids);
            }
            case TextOp.CtcDecode c -> {
                t.arity(1, 1, 1, 1);
                t.requireElement(0, ElementType.INT64, ElementType.INT32);
                t.requireRank(0, 2);
                yield List.of(new TensorType(ElementType.STRING, TensorShape.of(t.shape(0).dim(0))));
            }
        };
    }

    /** Tokens in the longest encoded text (at least 2: [CLS] and [SEP]). */
    static int longest(TextOp.WordPieceEncode w, Tensor texts) {
        int len = 2;
        for (int i = 0; i < texts.size(); i++) len = Math.max(len, w.tokenizer().encode(texts.getString(i), w.maxLength()).length);
        return len;
    }
}
