package dev.kiln.engine.jdbc;

import java.sql.SQLException;

/** {@link java.sql.Wrapper} for the driver's objects, which wrap nothing: each unwraps to itself only. */
interface Unwrappable extends java.sql.Wrapper {
    @Override
    default <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) return iface.cast(this);
        throw new SQLException(getClass().getSimpleName() + " is not a " + iface.getName() + " and wraps nothing", Errors.INVALID_ARGUMENT);
    }

    @Override
    default boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
