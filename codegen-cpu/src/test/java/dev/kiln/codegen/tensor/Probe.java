package dev.kiln.codegen.tensor;

import dev.kiln.codegen.Workers;
import dev.kiln.ir.tensor.TensorGraph;
import dev.kiln.optimizer.tensor.TensorOptimizer;
import java.util.Map;

public final class Probe {
    public static void main(String[] a) throws Exception {
        try (Workers w = new Workers(1)) {
            TensorGraph g = RealModels.load(RealModels.miniLm(), "minilm");
            try (var p = TensorCompiler.compile(TensorOptimizer.optimize(g), Map.of("input_ids", new long[] {1, 128}, "attention_mask", new long[] {1, 128}, "token_type_ids", new long[] {1, 128}), w)) {
                System.out.println("minilm ok");
            } catch (Exception e) { System.out.println("minilm: " + e); }
            for (String f : RealModels.OCR_MODELS) {
                TensorGraph o = RealModels.load(RealModels.ocr(f).orElseThrow(), f);
                long[] s = f.contains("det") ? new long[] {1, 3, 96, 320} : f.contains("rec") ? new long[] {1, 3, 48, 320} : new long[] {1, 3, 48, 192};
                try (var p = TensorCompiler.compile(TensorOptimizer.optimize(o), Map.of("x", s), w)) {
                    System.out.println(f + " ok");
                } catch (Exception e) { System.out.println(f + ": " + e); }
            }
        }
    }
}
