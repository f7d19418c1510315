package dev.kiln.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OnnxSummaryTest {
    @Test
    void summarizesTheHandBuiltModel() {
        OnnxModel model = OnnxModel.read(TestModels.model().toByteArray(), "test.onnx");
        assertEquals("""
                test.onnx: IR 8, opsets ai.onnx 13, ai.onnx.ml 3, producer kiln-test 1.0
                  inputs:  x FLOAT[batch, 2]
                  outputs: z FLOAT[?]
                  2 nodes (+1 in subgraphs), 1 initializers, 4 parameters
                  ops: Clip 1, Identity 1, MatMul 1""", OnnxSummary.of(model, "test.onnx").format());
    }
}
