package dev.kiln.engine.jdbc;

import dev.kiln.frontend.SqlException;
import dev.kiln.ir.KilnException;
import dev.kiln.runtime.memory.MemoryBudgetExceededException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLSyntaxErrorException;

/**
 * The SQLSTATE codes the driver reports (SQL:2016 classes; the subclass codes follow common
 * practice): what is wrong with a statement is class 42, bad values class 22, a broken key or
 * NOT NULL column class 23, a closed object
 * 08003 (connection) or HY010 (statement, result set), an unsupported JDBC feature 0A000.
 */
final class Errors {
    private Errors() {}

    static final String SYNTAX_OR_ACCESS = "42000";
    static final String INVALID_CAST = "22018";
    static final String OUT_OF_RANGE = "22003";
    static final String DATA_EXCEPTION = "22000";
    static final String CONNECTION_CLOSED = "08003";
    static final String CONNECTION_FAILED = "08001";
    static final String FUNCTION_SEQUENCE = "HY010";
    static final String INVALID_COLUMN = "42S22";
    static final String INVALID_PARAMETER = "07009";
    static final String PARAMETER_NOT_SET = "07001";
    static final String OUT_OF_MEMORY = "53200";
    static final String NOT_SUPPORTED = "0A000";
    static final String INVALID_ARGUMENT = "HY024";

    /** An error from Kiln, with the SQLSTATE of its kind; the message is Kiln's, unchanged. */
    static SQLException from(KilnException e) {
        if (e instanceof SqlException s) return new SQLSyntaxErrorException(s.getMessage(), SYNTAX_OR_ACCESS, e);
        if (e instanceof MemoryBudgetExceededException) return new SQLException(e.getMessage(), OUT_OF_MEMORY, e);
        // the data exceptions that generated code raises (runtime SqlErrors); the rest are planning errors (names, types)
        String m = String.valueOf(e.getMessage());
        String state;
        if (m.startsWith("numeric overflow")) state = OUT_OF_RANGE;
        else if (m.startsWith("division by zero")) state = "22012";
        else if (m.startsWith("invalid input for CAST")) state = INVALID_CAST;
        else if (m.startsWith("negative substring length")) state = "22011";
        else if (m.startsWith("more than one row returned by a subquery")) state = "21000";
        else if ((m.startsWith("INSERT INTO") || m.startsWith("CREATE UNIQUE INDEX")) && (m.contains("duplicate primary key") || m.contains("duplicate key"))) state = "23505";
        else if (m.startsWith("INSERT INTO") && m.contains("is NOT NULL")) state = "23502";
        else state = SYNTAX_OR_ACCESS;
        return new SQLException(m, state, e);
    }

    /** A failure inside Kiln that is not one of its reported errors: a bug, reported as such. */
    static SQLException internal(RuntimeException e) {
        return new SQLException("internal error in Kiln: " + e, "XX000", e);
    }

    static SQLException unsupported(String what) {
        return new SQLFeatureNotSupportedException(what + " is not supported by the Kiln driver (Kiln's tables are read-only and its results are computed in full)", NOT_SUPPORTED);
    }

    static SQLException closed(String what) {
        return new SQLException("this " + what + " is closed", what.equals("connection") ? CONNECTION_CLOSED : FUNCTION_SEQUENCE);
    }
}
