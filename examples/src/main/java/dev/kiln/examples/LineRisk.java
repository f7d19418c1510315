package dev.kiln.examples;

import dev.kiln.annotations.KilnModel;
import dev.kiln.annotations.KilnQueries;
import dev.kiln.annotations.Query;
import java.util.List;

/**
 * A model in typed queries: {@code line-risk.onnx} (on the class path, from
 * {@code src/main/resources/models}) is a linear classifier - ONNX's LinearClassifier, as
 * scikit-learn exports a logistic regression - over a line's quantity, discount and tax, labelling
 * it low, medium or high. javac's annotation processor imports it to type {@code PREDICT(risk,
 * ...)} (a VARCHAR label here), and {@code kiln.bind(LineRisk.class)} registers it in the session;
 * the optimizer inlines it into the query as a CASE over the three scores.
 */
@KilnQueries(models = @KilnModel(name = "risk", resource = "models/line-risk.onnx"))
public interface LineRisk {
    /** The model's coefficients per class (quantity, discount, tax) and intercepts, float32 as in the file. */
    float[][] COEFFICIENTS = {{-0.0213f, -9.87f, 0.31f}, {0.0071f, 5.13f, 4.77f}, {0.0417f, 19.3f, -5.29f}};
    float[] INTERCEPTS = {1.07f, 0.29f, -0.93f};
    List<String> LABELS = List.of("low", "medium", "high");

    record Line(long orderKey, int lineNumber, String risk) {}

    record RiskCount(String risk, long lines) {}

    @Query("""
            SELECT l_orderkey AS order_key, l_linenumber AS line_number, PREDICT(risk, l_quantity, l_discount, l_tax) AS risk
            FROM lineitem WHERE l_orderkey <= :maxOrder ORDER BY 1, 2""")
    List<Line> lines(long maxOrder);

    @Query("""
            SELECT risk, count(*) AS lines FROM (SELECT PREDICT(risk, l_quantity, l_discount, l_tax) AS risk FROM lineitem WHERE l_shipmode = :mode)
            GROUP BY risk ORDER BY risk""")
    List<RiskCount> byRisk(String mode);
}
