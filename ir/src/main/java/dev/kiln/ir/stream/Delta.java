package dev.kiln.ir.stream;

import dev.kiln.ir.type.DataType;
import dev.kiln.ir.type.Field;
import dev.kiln.ir.type.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of an incremental plan: for each micro-batch it yields the change of its relation, a
 * Z-set whose rows end with the weight column {@link #WEIGHT}.
 */
public sealed interface Delta permits StreamInput, Linear, AggregateState, JoinState, SessionState {
    /** The name of the weight column every Z-set ends with. */
    String WEIGHT = "__w";

    /** The Z-set's columns: the relation's columns followed by the weight. */
    Schema schema();

    List<Delta> inputs();

    /** The relation's own columns, without the weight. */
    default Schema rowSchema() {
        List<Field> f = schema().fields();
        return new Schema(f.subList(0, f.size() - 1));
    }

    static Field weightField() {
        return new Field(WEIGHT, DataType.BIGINT, false);
    }

    /** {@code rows} followed by the weight column. */
    static Schema withWeight(Schema rows) {
        List<Field> f = new ArrayList<>(rows.fields());
        f.add(weightField());
        return new Schema(f);
    }
}
