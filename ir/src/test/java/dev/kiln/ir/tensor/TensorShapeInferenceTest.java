package dev.kiln.ir.tensor;

import static dev.kiln.ir.tensor.TensorTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.tensor.ElementwiseOp.Binary;
import dev.kiln.ir.tensor.ElementwiseOp.BinaryFn;
import dev.kiln.ir.tensor.eval.TensorInterpreter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TensorShapeInferenceTest {
    private static final Dim N = Dim.symbol("N"), S = Dim.symbol("S");

    private static TensorValue v(String name, ElementType e, Dim... dims) {
        return new TensorValue(name, new TensorType(e, TensorShape.of(dims)));
    }

    @Test
    void symbolicBatchFlowsThroughConvAndMatMul() {
        TensorGraph g = new TensorGraph("g", List.of(v("x", ElementType.FLOAT32, N, Dim.of(3), Dim.of(32), Dim.of(32)),
                v("t", ElementType.FLOAT32, N, S, Dim.of(64))), List.of(),
                List.of(TensorNode.of("c", new NeuralOp.Conv(Window.DEFAULT.withStrides(2, 2).withPads(1, 1, 1, 1), 1), List.of("x", "w"), List.of("y")),
                        TensorNode.of("m", new NeuralOp.MatMul(), List.of("t", "p"), List.of("z")),
                        TensorNode.of("a", new Binary(BinaryFn.ADD), List.of("z", "bias"), List.of("u"))),
                Map.of("w", Tensor.zeros(ElementType.FLOAT32, s(8, 3, 3, 3)), "p", Tensor.zeros(ElementType.FLOAT32, s(64, 16)),
                        "bias", Tensor.zeros(ElementType.FLOAT32, s(1, 1, 16))));
        TensorShapeInference.Result r = TensorShapeInference.infer(g);
        assertEquals(new TensorType(ElementType.FLOAT32, TensorShape.of(N, Dim.of(8), Dim.of(16), Dim.of(16))), r.type("y"));
        assertEquals(new TensorType(ElementType.FLOAT32, TensorShape.of(N, S, Dim.of(16))), r.type("u"));
    }

    /** The pattern exporters write for a flatten: Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])). */
    private static TensorGraph flattenByShapeChain(Dim batch) {
        return new TensorGraph("g", List.of(v("x", ElementType.FLOAT32, batch, Dim.of(4), Dim.of(5))),
                List.of(v("y", ElementType.FLOAT32, batch, Dim.symbol("F"))),
                List.of(TensorNode.of("shape", new LayoutOp.Shape(0, Optional.empty()), List.of("x"), List.of("sh")),
                        TensorNode.of("first", new LayoutOp.Gather(0), List.of("sh", "zero"), List.of("n")),
                        TensorNode.of("unsq", new LayoutOp.Unsqueeze(), List.of("n", "axes0"), List.of("n1")),
                        TensorNode.of("cat", new LayoutOp.Concat(0), List.of("n1", "minus1"), List.of("target")),
                        TensorNode.of("reshape", new LayoutOp.Reshape(false), List.of("x", "target"), List.of("y"))),
                Map.of("zero", Tensor.scalar(ElementType.INT64, 0), "axes0", i64(0), "minus1", i64(-1)));
    }

    @Test
    void shapeGatherConcatChainsFoldWhenTheDimsAreKnown() {
        TensorShapeInference.Result r = TensorShapeInference.infer(flattenByShapeChain(Dim.of(2)));
        assertEquals(TensorType.of(ElementType.FLOAT32, 2, 20), r.type("y"));
        assertEquals(i64(2, -1), r.constants().get("target"));
        // with a symbolic batch the rank is still known; the dims are named after the node
        TensorShapeInference.Result sym = TensorShapeInference.infer(flattenByShapeChain(N));
        assertEquals(TensorShape.of(Dim.symbol("reshape_d0"), Dim.symbol("reshape_d1")), sym.type("y").shape());
        assertFalse(sym.constants().containsKey("target"));
        // and the interpreter runs it with the batch bound
        Tensor y = TensorInterpreter.run(flattenByShapeChain(N), Map.of("x", Tensor.zeros(ElementType.FLOAT32, s(3, 4, 5)))).get("y");
        assertEquals(TensorType.of(ElementType.FLOAT32, 3, 20), y.tensorType());
    }

    @Test
    void errorsNameTheNodeOpAndShapes() {
        TensorGraphException conv = assertThrows(TensorGraphException.class, () -> graph(new NeuralOp.Conv(Window.DEFAULT, 1), 1,
                Tensor.zeros(ElementType.FLOAT32, s(1, 3, 8, 8)), Tensor.zeros(ElementType.FLOAT32, s(2, 4, 3, 3))));
        assertEquals("node n (Conv): input has 3 channels, group 1 × weight channels 4 = 4", conv.getMessage());
        TensorGraphException mm = assertThrows(TensorGraphException.class, () -> graph(new NeuralOp.MatMul(), 1,
                Tensor.zeros(ElementType.FLOAT32, s(2, 3)), Tensor.zeros(ElementType.FLOAT32, s(4, 5))));
        assertEquals("node n (MatMul): inner dimensions of [2,3] and [4,5] differ: 3 against 4", mm.getMessage());
        TensorGraphException axis = assertThrows(TensorGraphException.class, () -> graph(new NeuralOp.Softmax(2), 1,
                Tensor.zeros(ElementType.FLOAT32, s(2, 3))));
        assertEquals("node n (Softmax): axis: axis 2 is out of range [-2, 1] for rank 2", axis.getMessage());
        TensorGraphException bc = assertThrows(TensorGraphException.class, () -> graph(new Binary(BinaryFn.ADD), 1,
                Tensor.zeros(ElementType.FLOAT32, s(2, 3)), Tensor.zeros(ElementType.FLOAT32, s(2))));
        assertEquals("node n (Add): shapes [2,3] and [2] do not broadcast: size 3 against 2", bc.getMessage());
        TensorGraphException dtype = assertThrows(TensorGraphException.class, () -> graph(new Binary(BinaryFn.ADD), 1,
                Tensor.zeros(ElementType.FLOAT32, s(2)), Tensor.zeros(ElementType.INT64, s(2))));
        assertEquals("node n (Add): inputs 0 and 1 must have the same element type, not float32[2] and int64[2]", dtype.getMessage());
        TensorGraphException arity = assertThrows(TensorGraphException.class, () -> graph(new NeuralOp.MatMul(), 1,
                Tensor.zeros(ElementType.FLOAT32, s(2))));
        assertEquals("node n (MatMul): takes 2 inputs, not 1", arity.getMessage());
    }

    @Test
    void validatorRejectsMalformedGraphsNamingTheNode() {
        TensorNode relu = TensorNode.of("r", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), List.of("x"), List.of("y"));
        TensorNode relu2 = TensorNode.of("r2", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), List.of("y"), List.of("z"));
        List<TensorValue> in = List.of(v("x", ElementType.FLOAT32, N));
        List<TensorValue> out = List.of(v("z", ElementType.FLOAT32, N));
        assertEquals("node r2 (Relu): input 0 'y' is produced by node r, which comes later: nodes must be in topological order",
                assertThrows(TensorGraphException.class, () -> TensorGraphValidator.validate(new TensorGraph("g", in, out, List.of(relu2, relu), Map.of()))).getMessage());
        assertEquals("node r2 (Relu): input 0 'q' is not defined by any graph input, initializer or node",
                assertThrows(TensorGraphException.class, () -> TensorGraphValidator.validate(new TensorGraph("g", in, out,
                        List.of(TensorNode.of("r2", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), List.of("q"), List.of("z"))), Map.of()))).getMessage());
        TensorNode again = TensorNode.of("r3", new ElementwiseOp.Unary(ElementwiseOp.UnaryFn.RELU), List.of("x"), List.of("y"));
        assertEquals("node r3 (Relu): value 'y' is already defined by node r (Relu); every value is assigned once",
                assertThrows(TensorGraphException.class, () -> TensorGraphValidator.validate(new TensorGraph("g", in, out, List.of(relu, again, relu2), Map.of()))).getMessage());
        assertEquals("graph g: output 'y2' is not computed by any node",
                assertThrows(TensorGraphException.class, () -> TensorGraphValidator.validate(new TensorGraph("g", in,
                        List.of(v("y2", ElementType.FLOAT32, N)), List.of(relu), Map.of()))).getMessage());
        assertEquals("graph g: output 'z' is declared float32[N,2] but computes float32[N]",
                assertThrows(TensorGraphException.class, () -> TensorShapeInference.infer(new TensorGraph("g", in,
                        List.of(v("z", ElementType.FLOAT32, N, Dim.of(2))), List.of(relu, relu2), Map.of()))).getMessage());
        TensorShapeInference.infer(new TensorGraph("g", in, out, List.of(relu, relu2), Map.of()));
    }

    @Test
    void interpreterChecksInputsAgainstDeclaredTypesAndBindsSymbols() {
        TensorGraph g = new TensorGraph("g", List.of(v("a", ElementType.FLOAT32, N), v("b", ElementType.FLOAT32, N)),
                List.of(v("c", ElementType.FLOAT32, N)), List.of(TensorNode.of("add", new Binary(BinaryFn.ADD), List.of("a", "b"), List.of("c"))), Map.of());
        assertEquals(f(s(2), 4, 6), TensorInterpreter.run(g, Map.of("a", f(s(2), 1, 2), "b", f(s(2), 3, 4))).get("c"));
        assertEquals("graph g, input 'b': dim 0 is N, already bound to 2 by another input, but is 3 here",
                assertThrows(TensorGraphException.class, () -> TensorInterpreter.run(g, Map.of("a", f(s(2), 1, 2), "b", f(s(3), 3, 4, 5)))).getMessage());
        assertEquals("graph g, input 'a': expected float32[N], got int64[2]",
                assertThrows(TensorGraphException.class, () -> TensorInterpreter.run(g, Map.of("a", i64(1, 2), "b", f(s(2), 3, 4)))).getMessage());
        assertEquals("graph g: no value for input 'b' of type float32[N]",
                assertThrows(TensorGraphException.class, () -> TensorInterpreter.run(g, Map.of("a", f(s(2), 1, 2)))).getMessage());
    }

    @Test
    void aSqlColumnTypeWrapsTheTensorType() {
        var column = new dev.kiln.ir.type.DataType.TensorType(new TensorType(ElementType.FLOAT32, TensorShape.of(N, Dim.of(384))));
        assertEquals("TENSOR<float32[N,384]>", column.sql());
        assertEquals(dev.kiln.ir.type.PhysicalKind.TENSOR, column.physical());
    }

    @Test
    void broadcastingOfSymbols() {
        assertEquals(TensorShape.of(N, Dim.of(3)), TensorShape.broadcast(TensorShape.of(N, Dim.of(1)), TensorShape.of(Dim.of(3))));
        assertEquals(TensorShape.of(Dim.of(4)), TensorShape.broadcast(TensorShape.of(N), TensorShape.of(Dim.of(4))));
        assertEquals(TensorShape.of(N), TensorShape.broadcast(TensorShape.of(N), TensorShape.of(N)));
        assertEquals(TensorShape.of(Dim.symbol("max(N,S)")), TensorShape.broadcast(TensorShape.of(N), TensorShape.of(S)));
        assertTrue(TensorShape.broadcastsTo(TensorShape.of(Dim.of(1), Dim.of(3)), TensorShape.of(N, Dim.of(3))));
        assertFalse(TensorShape.broadcastsTo(TensorShape.of(Dim.of(2), Dim.of(3)), TensorShape.of(Dim.of(3))));
    }
}
