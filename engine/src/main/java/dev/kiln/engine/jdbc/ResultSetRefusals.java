package dev.kiln.engine.jdbc;

/**
 * The part of {@link java.sql.ResultSet} the driver refuses, each with SQLSTATE 0A000 naming the
 * method: updating rows (Kiln's results are read-only), binary and ASCII streams, arrays, LOBs,
 * refs, row ids, URLs and SQLXML (Kiln has none of those types). Generated from the interface;
 * {@link KilnResultSet} implements the rest.
 */
abstract class ResultSetRefusals implements java.sql.ResultSet {
    @Override
    public byte[] getBytes(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getBytes");
    }

    @Override
    public java.io.InputStream getAsciiStream(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getAsciiStream");
    }

    @Override
    public java.io.InputStream getUnicodeStream(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getUnicodeStream");
    }

    @Override
    public java.io.InputStream getBinaryStream(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getBinaryStream");
    }

    @Override
    public byte[] getBytes(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getBytes");
    }

    @Override
    public java.io.InputStream getAsciiStream(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getAsciiStream");
    }

    @Override
    public java.io.InputStream getUnicodeStream(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getUnicodeStream");
    }

    @Override
    public java.io.InputStream getBinaryStream(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getBinaryStream");
    }

    @Override
    public void updateNull(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNull");
    }

    @Override
    public void updateBoolean(int a0, boolean a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBoolean");
    }

    @Override
    public void updateByte(int a0, byte a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateByte");
    }

    @Override
    public void updateShort(int a0, short a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateShort");
    }

    @Override
    public void updateInt(int a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateInt");
    }

    @Override
    public void updateLong(int a0, long a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateLong");
    }

    @Override
    public void updateFloat(int a0, float a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateFloat");
    }

    @Override
    public void updateDouble(int a0, double a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateDouble");
    }

    @Override
    public void updateBigDecimal(int a0, java.math.BigDecimal a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBigDecimal");
    }

    @Override
    public void updateString(int a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateString");
    }

    @Override
    public void updateBytes(int a0, byte[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBytes");
    }

    @Override
    public void updateDate(int a0, java.sql.Date a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateDate");
    }

    @Override
    public void updateTime(int a0, java.sql.Time a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateTime");
    }

    @Override
    public void updateTimestamp(int a0, java.sql.Timestamp a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateTimestamp");
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateObject(int a0, java.lang.Object a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateObject");
    }

    @Override
    public void updateObject(int a0, java.lang.Object a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateObject");
    }

    @Override
    public void updateNull(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNull");
    }

    @Override
    public void updateBoolean(java.lang.String a0, boolean a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBoolean");
    }

    @Override
    public void updateByte(java.lang.String a0, byte a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateByte");
    }

    @Override
    public void updateShort(java.lang.String a0, short a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateShort");
    }

    @Override
    public void updateInt(java.lang.String a0, int a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateInt");
    }

    @Override
    public void updateLong(java.lang.String a0, long a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateLong");
    }

    @Override
    public void updateFloat(java.lang.String a0, float a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateFloat");
    }

    @Override
    public void updateDouble(java.lang.String a0, double a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateDouble");
    }

    @Override
    public void updateBigDecimal(java.lang.String a0, java.math.BigDecimal a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBigDecimal");
    }

    @Override
    public void updateString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateString");
    }

    @Override
    public void updateBytes(java.lang.String a0, byte[] a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBytes");
    }

    @Override
    public void updateDate(java.lang.String a0, java.sql.Date a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateDate");
    }

    @Override
    public void updateTime(java.lang.String a0, java.sql.Time a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateTime");
    }

    @Override
    public void updateTimestamp(java.lang.String a0, java.sql.Timestamp a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateTimestamp");
    }

    @Override
    public void updateAsciiStream(java.lang.String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(java.lang.String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(java.lang.String a0, java.io.Reader a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateObject(java.lang.String a0, java.lang.Object a1, int a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateObject");
    }

    @Override
    public void updateObject(java.lang.String a0, java.lang.Object a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateObject");
    }

    @Override
    public void insertRow() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.insertRow");
    }

    @Override
    public void updateRow() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateRow");
    }

    @Override
    public void deleteRow() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.deleteRow");
    }

    @Override
    public void refreshRow() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.refreshRow");
    }

    @Override
    public void cancelRowUpdates() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.cancelRowUpdates");
    }

    @Override
    public void moveToInsertRow() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.moveToInsertRow");
    }

    @Override
    public void moveToCurrentRow() throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.moveToCurrentRow");
    }

    @Override
    public java.sql.Ref getRef(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getRef");
    }

    @Override
    public java.sql.Blob getBlob(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getBlob");
    }

    @Override
    public java.sql.Clob getClob(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getClob");
    }

    @Override
    public java.sql.Array getArray(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getArray");
    }

    @Override
    public java.sql.Ref getRef(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getRef");
    }

    @Override
    public java.sql.Blob getBlob(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getBlob");
    }

    @Override
    public java.sql.Clob getClob(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getClob");
    }

    @Override
    public java.sql.Array getArray(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getArray");
    }

    @Override
    public java.net.URL getURL(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getURL");
    }

    @Override
    public java.net.URL getURL(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getURL");
    }

    @Override
    public void updateRef(int a0, java.sql.Ref a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateRef");
    }

    @Override
    public void updateRef(java.lang.String a0, java.sql.Ref a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateRef");
    }

    @Override
    public void updateBlob(int a0, java.sql.Blob a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBlob");
    }

    @Override
    public void updateBlob(java.lang.String a0, java.sql.Blob a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBlob");
    }

    @Override
    public void updateClob(int a0, java.sql.Clob a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateClob");
    }

    @Override
    public void updateClob(java.lang.String a0, java.sql.Clob a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateClob");
    }

    @Override
    public void updateArray(int a0, java.sql.Array a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateArray");
    }

    @Override
    public void updateArray(java.lang.String a0, java.sql.Array a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateArray");
    }

    @Override
    public java.sql.RowId getRowId(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getRowId");
    }

    @Override
    public java.sql.RowId getRowId(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getRowId");
    }

    @Override
    public void updateRowId(int a0, java.sql.RowId a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateRowId");
    }

    @Override
    public void updateRowId(java.lang.String a0, java.sql.RowId a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateRowId");
    }

    @Override
    public void updateNString(int a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNString");
    }

    @Override
    public void updateNString(java.lang.String a0, java.lang.String a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNString");
    }

    @Override
    public void updateNClob(int a0, java.sql.NClob a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNClob");
    }

    @Override
    public void updateNClob(java.lang.String a0, java.sql.NClob a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNClob");
    }

    @Override
    public java.sql.NClob getNClob(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getNClob");
    }

    @Override
    public java.sql.NClob getNClob(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getNClob");
    }

    @Override
    public java.sql.SQLXML getSQLXML(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getSQLXML");
    }

    @Override
    public java.sql.SQLXML getSQLXML(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getSQLXML");
    }

    @Override
    public void updateSQLXML(int a0, java.sql.SQLXML a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateSQLXML");
    }

    @Override
    public void updateSQLXML(java.lang.String a0, java.sql.SQLXML a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateSQLXML");
    }

    @Override
    public java.lang.String getNString(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getNString");
    }

    @Override
    public java.lang.String getNString(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getNString");
    }

    @Override
    public java.io.Reader getNCharacterStream(int a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getNCharacterStream");
    }

    @Override
    public java.io.Reader getNCharacterStream(java.lang.String a0) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.getNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateAsciiStream(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateBlob(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBlob");
    }

    @Override
    public void updateBlob(java.lang.String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBlob");
    }

    @Override
    public void updateClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateClob");
    }

    @Override
    public void updateClob(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateClob");
    }

    @Override
    public void updateNClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNClob");
    }

    @Override
    public void updateNClob(java.lang.String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNClob");
    }

    @Override
    public void updateNCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNCharacterStream");
    }

    @Override
    public void updateAsciiStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateAsciiStream(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateAsciiStream");
    }

    @Override
    public void updateBinaryStream(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBinaryStream");
    }

    @Override
    public void updateCharacterStream(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateCharacterStream");
    }

    @Override
    public void updateBlob(int a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBlob");
    }

    @Override
    public void updateBlob(java.lang.String a0, java.io.InputStream a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateBlob");
    }

    @Override
    public void updateClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateClob");
    }

    @Override
    public void updateClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateClob");
    }

    @Override
    public void updateNClob(int a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNClob");
    }

    @Override
    public void updateNClob(java.lang.String a0, java.io.Reader a1) throws java.sql.SQLException {
        throw Errors.unsupported("ResultSet.updateNClob");
    }
}
