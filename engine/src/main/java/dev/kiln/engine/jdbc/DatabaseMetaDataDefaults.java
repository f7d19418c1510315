package dev.kiln.engine.jdbc;

/**
 * The answers of {@link java.sql.DatabaseMetaData} that {@link KilnDatabaseMetaData} does not give
 * itself: every capability not listed there is false (not supported, or not promised), every limit
 * 0 (none, or not known), and the listings Kiln has nothing for (procedures, functions, privileges,
 * user-defined types, ...) are refused with SQLSTATE 0A000. Generated from the interface.
 */
abstract class DatabaseMetaDataDefaults implements java.sql.DatabaseMetaData {
    @Override
    public boolean allProceduresAreCallable() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean nullsAreSortedLow() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean nullsAreSortedAtStart() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean nullsAreSortedAtEnd() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean usesLocalFiles() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean usesLocalFilePerTable() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean storesUpperCaseIdentifiers() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean storesLowerCaseIdentifiers() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsConvert() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsConvert(int a0, int a1) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsDifferentTableCorrelationNames() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsGroupByBeyondSelect() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsMultipleResultSets() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsMultipleTransactions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsCoreSQLGrammar() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsExtendedSQLGrammar() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsANSI92IntermediateSQL() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsANSI92FullSQL() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean isCatalogAtStart() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsSchemasInDataManipulation() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsSchemasInProcedureCalls() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsCatalogsInDataManipulation() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsPositionedDelete() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsPositionedUpdate() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsSelectForUpdate() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsStoredProcedures() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsUnion() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsUnionAll() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public int getMaxBinaryLiteralLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxCharLiteralLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxColumnNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxColumnsInGroupBy() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxColumnsInIndex() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxColumnsInOrderBy() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxColumnsInSelect() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxColumnsInTable() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxConnections() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxCursorNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxIndexLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxSchemaNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxProcedureNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxCatalogNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxRowSize() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public int getMaxStatementLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxStatements() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxTableNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxTablesInSelect() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public int getMaxUserNameLength() throws java.sql.SQLException {
        return 0; // no limit, or not known
    }

    @Override
    public boolean supportsTransactions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public java.sql.ResultSet getProcedures(java.lang.String a0, java.lang.String a1, java.lang.String a2) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getProcedures");
    }

    @Override
    public java.sql.ResultSet getProcedureColumns(java.lang.String a0, java.lang.String a1, java.lang.String a2, java.lang.String a3) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getProcedureColumns");
    }

    @Override
    public java.sql.ResultSet getColumnPrivileges(java.lang.String a0, java.lang.String a1, java.lang.String a2, java.lang.String a3) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getColumnPrivileges");
    }

    @Override
    public java.sql.ResultSet getTablePrivileges(java.lang.String a0, java.lang.String a1, java.lang.String a2) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getTablePrivileges");
    }

    @Override
    public java.sql.ResultSet getBestRowIdentifier(java.lang.String a0, java.lang.String a1, java.lang.String a2, int a3, boolean a4) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getBestRowIdentifier");
    }

    @Override
    public java.sql.ResultSet getVersionColumns(java.lang.String a0, java.lang.String a1, java.lang.String a2) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getVersionColumns");
    }

    @Override
    public java.sql.ResultSet getCrossReference(java.lang.String a0, java.lang.String a1, java.lang.String a2, java.lang.String a3, java.lang.String a4, java.lang.String a5) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getCrossReference");
    }

    @Override
    public boolean ownUpdatesAreVisible(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean ownDeletesAreVisible(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean ownInsertsAreVisible(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean othersUpdatesAreVisible(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean othersDeletesAreVisible(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean othersInsertsAreVisible(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean updatesAreDetected(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean deletesAreDetected(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean insertsAreDetected(int a0) throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsBatchUpdates() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public java.sql.ResultSet getUDTs(java.lang.String a0, java.lang.String a1, java.lang.String a2, int[] a3) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getUDTs");
    }

    @Override
    public boolean supportsSavepoints() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsNamedParameters() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsMultipleOpenResults() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsGetGeneratedKeys() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public java.sql.ResultSet getSuperTypes(java.lang.String a0, java.lang.String a1, java.lang.String a2) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getSuperTypes");
    }

    @Override
    public java.sql.ResultSet getSuperTables(java.lang.String a0, java.lang.String a1, java.lang.String a2) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getSuperTables");
    }

    @Override
    public java.sql.ResultSet getAttributes(java.lang.String a0, java.lang.String a1, java.lang.String a2, java.lang.String a3) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getAttributes");
    }

    @Override
    public boolean locatorsUpdateCopy() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsStatementPooling() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }

    @Override
    public java.sql.ResultSet getClientInfoProperties() throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getClientInfoProperties");
    }

    @Override
    public java.sql.ResultSet getFunctions(java.lang.String a0, java.lang.String a1, java.lang.String a2) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getFunctions");
    }

    @Override
    public java.sql.ResultSet getFunctionColumns(java.lang.String a0, java.lang.String a1, java.lang.String a2, java.lang.String a3) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getFunctionColumns");
    }

    @Override
    public java.sql.ResultSet getPseudoColumns(java.lang.String a0, java.lang.String a1, java.lang.String a2, java.lang.String a3) throws java.sql.SQLException {
        throw Errors.unsupported("DatabaseMetaData.getPseudoColumns");
    }

    @Override
    public boolean generatedKeyAlwaysReturned() throws java.sql.SQLException {
        return false; // not supported, or not known to be
    }
}
