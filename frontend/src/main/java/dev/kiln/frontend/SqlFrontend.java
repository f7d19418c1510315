package dev.kiln.frontend;

import dev.kiln.ir.KilnException;
import dev.kiln.ir.rel.Rel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.tools.ValidationException;

/**
 * SQL to Kiln IR: Calcite parses and validates (with lenient conformance: GROUP BY 1, LIMIT),
 * sub-queries are rewritten into joins and decorrelated, distinct aggregates expanded, and the
 * resulting logical plan translated into Kiln's IR. Errors carry line, column and a caret.
 */
public final class SqlFrontend {
    private static final Pattern CREATE_VIEW = Pattern.compile(
            "(?is)^\\s*CREATE\\s+(OR\\s+REPLACE\\s+)?VIEW\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+AS\\s+(.*?)\\s*;?\\s*$");
    private static final Pattern DROP_VIEW = Pattern.compile("(?is)^\\s*DROP\\s+VIEW\\s+(IF\\s+EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)(\\s+(?:CASCADE|RESTRICT))?\\s*;?\\s*$");

    /** Calcite types intermediate results; Kiln re-derives its own, so allow Calcite wide decimals. */
    private static final RelDataTypeSystem TYPES = new RelDataTypeSystemImpl() {
        @Override
        public int getMaxNumericPrecision() {
            return 38;
        }

        @Override
        public int getMaxNumericScale() {
            return 38;
        }

        /** CASE 'a' ... ELSE 'bcd' is VARCHAR, not CHAR(3) with 'a' padded to 'a  '. */
        @Override
        public boolean shouldConvertRaggedUnionTypesToVarying() {
            return true;
        }
    };

    private final Catalog catalog;

    public SqlFrontend(Catalog catalog) {
        this.catalog = catalog;
    }

    public Statement compile(String sql) {
        Matcher cv = CREATE_VIEW.matcher(sql);
        if (cv.matches()) {
            Statement.Query q = query(cv.group(3));
            return new Statement.CreateView(cv.group(2).toLowerCase(Locale.ROOT), cv.group(3), q.columnNames(), cv.group(1) != null);
        }
        Matcher dv = DROP_VIEW.matcher(sql);
        if (dv.matches()) {
            String behavior = dv.group(3) == null ? "" : dv.group(3).strip().toUpperCase(Locale.ROOT);
            return new Statement.DropView(dv.group(2).toLowerCase(Locale.ROOT), dv.group(1) != null, behavior.equals("CASCADE"), behavior.equals("RESTRICT"));
        }
        return query(sql);
    }

    private Statement.Query query(String sql) {
        String text = stripTrailingSemicolon(sql);
        RelNode rel;
        List<String> names;
        try {
            SqlNode parsed = SqlParser.create(text, PARSER).parseStmt();
            if (!parsed.getKind().belongsTo(org.apache.calcite.sql.SqlKind.QUERY)) {
                throw new KilnException("only queries (SELECT, WITH, VALUES), CREATE VIEW and DROP VIEW are supported, not " + parsed.getKind());
            }
            UnsupportedFeatures.check(parsed, text);
            SessionEnds.rewrite(parsed);
            ModelCalls.rewrite(parsed);
            List<String> items = OutputNames.selectItems(parsed);
            Session session = new Session(CalciteSchemas.build(catalog), ModelCalls.functions(catalog));
            SqlValidator validator = session.validator(session.catalogReader);
            SqlNode validated;
            try {
                validated = validator.validate(parsed);
            } catch (CalciteContextException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ValidationException(e);
            }
            RelRoot root = session.toRel(validator, session.catalogReader, validated, true);
            rel = root.project();
            names = OutputNames.apply(root.fields.stream().map(f -> f.getValue()).toList(), items);
        } catch (SqlParseException e) {
            throw SqlErrors.parse(e, text);
        } catch (ValidationException e) {
            throw SqlErrors.validation(e, text, catalog);
        } catch (CalciteContextException e) {
            throw SqlErrors.validation(e, text, catalog);
        } catch (org.apache.calcite.runtime.CalciteException e) {
            throw new KilnException("cannot plan the query: " + e.getMessage(), e);
        }
        try {
            rel = removeSubQueries(rel);
        } catch (KilnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KilnException("cannot remove the sub-queries of this query (" + e.getMessage()
                    + "): rewrite the sub-query as a join", e);
        }
        RelTranslator translator = new RelTranslator(catalog);
        Rel translated = translator.translate(rel);
        var slots = translator.slots(translated);
        if (slots.isEmpty()) return new Statement.Query(OutputNames.rename(translated, names), names);
        // STRUCTs selected whole: their fields are columns named by their paths (image.height)
        List<String> flat = new ArrayList<>(translated.schema().names());
        List<Statement.StructColumn> structs = new ArrayList<>();
        for (int i = 0; i < slots.get().size(); i++) {
            StructSlots.Value v = slots.get().get(i);
            int first = StructSlots.first(v);
            if (v instanceof StructSlots.StructValue st) structs.add(new Statement.StructColumn(names.get(i), first, StructSlots.type(st)));
            List<String> leaves = StructSlots.leafNames(names.get(i), v);
            for (int c = 0; c < leaves.size(); c++) flat.set(first + c, leaves.get(c));
        }
        return new Statement.Query(OutputNames.rename(translated, flat), flat, structs);
    }

    private static String stripTrailingSemicolon(String sql) {
        String s = sql.stripTrailing();
        while (s.endsWith(";")) s = s.substring(0, s.length() - 1).stripTrailing();
        return s;
    }

    private static final SqlParser.Config PARSER = SqlParser.config()
            .withCaseSensitive(false)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withConformance(SqlConformanceEnum.LENIENT);

    private static final CalciteConnectionConfig CONNECTION;

    static {
        Properties props = new Properties();
        props.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        props.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), Casing.UNCHANGED.name());
        props.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), Casing.UNCHANGED.name());
        props.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.LENIENT.name());
        CONNECTION = new CalciteConnectionConfigImpl(props);
    }

    private static final SqlValidator.Config VALIDATOR = SqlValidator.Config.DEFAULT
            .withConformance(SqlConformanceEnum.LENIENT)
            .withIdentifierExpansion(true)
            .withDefaultNullCollation(CONNECTION.defaultNullCollation())
            .withLenientOperatorLookup(false)
            // Calcite's implicit coercion casts to Calcite's own derived types (e.g. a
            // DECIMAL(38,6) threshold to DECIMAL(38,2) in TPC-H Q11, losing digits);
            // Kiln inserts the casts its type rules call for itself.
            .withTypeCoercionEnabled(false);

    private static final SqlToRelConverter.Config TO_REL = SqlToRelConverter.config().withExpand(false).withTrimUnusedFields(false);

    /**
     * Calcite's parse → validate → SqlToRel for one statement, done directly rather than through
     * {@code Frameworks.getPlanner}: that planner builds a Volcano planner and registers its
     * default rules for every statement, and decorrelates every plan, though Kiln uses neither
     * (it removes sub-queries itself, below, and optimizes its own IR). The cluster carries a
     * bare Hep planner. Also the view expander: a view's text is converted the same way.
     */
    private static final class Session implements RelOptTable.ViewExpander {
        final JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(TYPES);
        final SchemaPlus schema;
        final CalciteCatalogReader catalogReader;
        final RelOptCluster cluster;
        final List<org.apache.calcite.sql.SqlFunction> modelFunctions;

        Session(SchemaPlus schema, List<org.apache.calcite.sql.SqlFunction> modelFunctions) {
            this.schema = schema;
            this.modelFunctions = modelFunctions;
            SchemaPlus root = schema;
            while (root.getParentSchema() != null) root = root.getParentSchema();
            this.catalogReader = new CalciteCatalogReader(CalciteSchema.from(root), CalciteSchema.from(schema).path(null), types, CONNECTION);
            this.cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()), new RexBuilder(types));
        }

        SqlValidator validator(CalciteCatalogReader reader) {
            return SqlValidatorUtil.newValidator(SqlOperatorTables.chain(SqlStdOperatorTable.instance(), SqlOperatorTables.of(modelFunctions.get(0), modelFunctions.get(1), VectorCalls.DOT, VectorCalls.COSINE_SIMILARITY), reader), reader, types, VALIDATOR);
        }

        RelRoot toRel(SqlValidator validator, CalciteCatalogReader reader, SqlNode validated, boolean top) {
            SqlToRelConverter converter = new SqlToRelConverter(this, validator, reader, cluster, StandardConvertletTable.INSTANCE, TO_REL);
            RelRoot root = converter.convertQuery(validated, !top, top);
            try {
                return root.withRel(converter.flattenTypes(root.rel, true));
            } catch (RuntimeException e) {
                // flattening only changes plans over STRUCT values; Calcite's fails on some uses of a whole struct
                throw new KilnException("a STRUCT value cannot be used this way (grouped, compared or sorted as a whole): name its fields instead, e.g. image.height ("
                        + e + ")", e);
            }
        }

        @Override
        public RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
            SqlNode parsed;
            try {
                parsed = SqlParser.create(queryString, PARSER).parseQuery();
            } catch (SqlParseException e) {
                throw new KilnException("cannot parse the text of view " + viewPath + ": " + e.getMessage(), e);
            }
            CalciteCatalogReader reader = catalogReader.withSchemaPath(schemaPath);
            SqlValidator validator = validator(reader);
            return toRel(validator, reader, validator.validate(parsed), false);
        }
    }

    private static boolean hasSubQuery(RelNode rel) {
        boolean[] found = {false};
        rel.accept(new org.apache.calcite.rex.RexShuttle() {
            @Override
            public org.apache.calcite.rex.RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery subQuery) {
                found[0] = true;
                return subQuery;
            }

            @Override
            public org.apache.calcite.rex.RexNode visitCorrelVariable(org.apache.calcite.rex.RexCorrelVariable v) {
                found[0] = true;
                return v;
            }
        });
        if (found[0]) return true;
        for (RelNode in : rel.getInputs()) {
            if (hasSubQuery(in)) return true;
        }
        return false;
    }

    private static boolean hasSetOperation(RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.SetOp s && !(s instanceof org.apache.calcite.rel.core.Union u && u.all)) return true;
        for (RelNode in : rel.getInputs()) {
            if (hasSetOperation(in)) return true;
        }
        return false;
    }

    private static boolean hasDistinctAggregate(RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.Aggregate a && a.getAggCallList().stream().anyMatch(c -> c.isDistinct())) return true;
        for (RelNode in : rel.getInputs()) {
            if (hasDistinctAggregate(in)) return true;
        }
        return false;
    }

    /** Sub-queries → correlates → decorrelated joins; DISTINCT aggregates → plain ones over joins. */
    /**
     * The sub-query rules rebuild the filter around the sub-query; with simplification on, Calcite's
     * RexSimplify then turns comparisons into ranges and fails on conditions that compare one
     * column with DOUBLE and DECIMAL literals (a ClassCastException in its Sarg code), or with NULL
     * literals in large ORs (the sqllogictest corpus's index/ files have hundreds). Kiln's
     * optimizer folds and simplifies afterwards by its own rules.
     */
    private static final org.apache.calcite.tools.RelBuilderFactory UNSIMPLIFIED =
            RelBuilder.proto(org.apache.calcite.plan.Contexts.of(RelBuilder.Config.DEFAULT.withSimplify(false)));

    private static RelNode removeSubQueries(RelNode rel) {
        // most queries have neither: skip the planners (each costs milliseconds even with nothing to do)
        if (hasSubQuery(rel)) {
            HepPlanner subQueries = new HepPlanner(new HepProgramBuilder()
                    .addRuleCollection(List.of(
                            CoreRules.FILTER_SUB_QUERY_TO_CORRELATE.config.withRelBuilderFactory(UNSIMPLIFIED).toRule(),
                            CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE.config.withRelBuilderFactory(UNSIMPLIFIED).toRule(),
                            CoreRules.JOIN_SUB_QUERY_TO_CORRELATE.config.withRelBuilderFactory(UNSIMPLIFIED).toRule()))
                    .build());
            subQueries.setRoot(rel);
            RelNode noSubQueries = subQueries.findBestExp();
            RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(noSubQueries.getCluster(), null);
            rel = RelDecorrelator.decorrelateQuery(noSubQueries, builder);
        }
        if (hasSetOperation(rel)) {
            // UNION (distinct) → an aggregate over UNION ALL; INTERSECT / EXCEPT → UNION ALL of the
            // inputs, each with a branch count, aggregated and filtered on the counts
            HepPlanner setOps = new HepPlanner(new HepProgramBuilder()
                    .addRuleCollection(List.of(CoreRules.UNION_TO_DISTINCT, CoreRules.INTERSECT_TO_DISTINCT, CoreRules.MINUS_TO_DISTINCT))
                    .build());
            setOps.setRoot(rel);
            rel = setOps.findBestExp();
        }
        if (!hasDistinctAggregate(rel)) return rel;
        HepPlanner distinct = new HepPlanner(new HepProgramBuilder()
                .addRuleInstance(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES_TO_JOIN)
                .build());
        distinct.setRoot(rel);
        return distinct.findBestExp();
    }
}
