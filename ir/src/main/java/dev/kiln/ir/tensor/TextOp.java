package dev.kiln.ir.tensor;

import dev.kiln.ir.tensor.text.WordPieceTokenizer;
import java.util.List;

/**
 * Operators between text and tensors, so that a text model's tokenizer and a recognizer's
 * decoder are nodes of the model's graph - one program, with the reference interpreter's
 * semantics - rather than Java code around it.
 */
public sealed interface TextOp extends TensorOp {
    /**
     * STRING [N] → input_ids, attention_mask, token_type_ids, each INT64 [N, L]: each text as
     * [CLS] pieces [SEP], at most {@code maxLength} tokens, the rows padded with [PAD] to the
     * longest of the batch, L (mask 0 there), as Hugging Face tokenizers pad a batch; token types
     * all 0 (one segment).
     */
    record WordPieceEncode(WordPieceTokenizer tokenizer, int maxLength) implements TextOp {
        public WordPieceEncode {
            if (maxLength < 2) throw new IllegalArgumentException("max length must leave room for [CLS] and [SEP], not " + maxLength);
        }
    }

    /**
     * CTC greedy decoding of best-class indices INT64 [N, T] → STRING [N]: repeats merged, then
     * the blank class dropped, class c read as {@code labels[c]} (label {@code blank} is unused).
     */
    record CtcDecode(List<String> labels, int blank) implements TextOp {
        public CtcDecode {
            labels = List.copyOf(labels);
            if (blank < 0 || blank >= labels.size()) throw new IllegalArgumentException("blank " + blank + " is not one of " + labels.size() + " classes");
        }

        /** Short: a recognizer's alphabet has thousands of labels. */
        @Override
        public String toString() {
            return "CtcDecode[" + labels.size() + " labels, blank=" + blank + "]";
        }
    }
}
