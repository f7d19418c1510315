package dev.kiln.engine;

import dev.kiln.frontend.Statement;
import dev.kiln.ir.KilnException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CREATE [OR REPLACE] VIEW and DROP VIEW [IF EXISTS] [CASCADE | RESTRICT] on a session's catalog. */
final class ViewStatements {
    private ViewStatements() {}

    /** Registers the view; the statement's message. */
    static String create(Statement.CreateView v, SessionCatalog catalog) {
        catalog.putView(v.name(), v.sql(), v.orReplace());
        return "CREATE VIEW " + v.name();
    }

    /**
     * Drops the view - and with CASCADE the views using it, and those using them, until none is
     * left; RESTRICT refuses while any view uses it. The statement's message.
     */
    static String drop(Statement.DropView d, SessionCatalog catalog) {
        List<String> users = viewsUsing(d.name(), catalog);
        if (d.restrict() && !users.isEmpty()) {
            throw new KilnException("view '" + d.name() + "' is used by " + users + "; drop those first, or DROP VIEW " + d.name() + " CASCADE");
        }
        if (!catalog.dropView(d.name()) && !d.ifExists()) {
            throw new KilnException("view '" + d.name() + "' does not exist" + (catalog.viewNames().isEmpty() ? "" : "; views: " + catalog.viewNames()));
        }
        if (d.cascade()) {
            for (List<String> next = users; !next.isEmpty(); ) {
                List<String> more = new ArrayList<>();
                for (String v : next) {
                    if (catalog.dropView(v)) more.addAll(viewsUsing(v, catalog));
                }
                next = more;
            }
        }
        return "DROP VIEW " + d.name() + (d.cascade() && !users.isEmpty() ? " (and " + users + ")" : "");
    }

    /** The views whose SQL names {@code view} (as a whole word, outside quotes and comments). */
    private static List<String> viewsUsing(String view, SessionCatalog catalog) {
        Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(view) + "(?![A-Za-z0-9_])");
        List<String> users = new ArrayList<>();
        for (String v : catalog.viewNames()) {
            if (v.equalsIgnoreCase(view)) continue;
            String sql = catalog.viewSql(v).orElse("");
            BitSet code = dev.kiln.frontend.SqlText.code(sql);
            Matcher m = word.matcher(sql);
            while (m.find()) {
                if (code.get(m.start())) {
                    users.add(v);
                    break;
                }
            }
        }
        return users;
    }
}
