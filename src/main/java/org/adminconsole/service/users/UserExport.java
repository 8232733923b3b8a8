package org.adminconsole.service.users;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.domain.Visibility;
import org.adminconsole.service.inspect.CsvExporter;

/**
 * Exports the Users list as filtered (search, role, active, department, over quota) and sorted, every page, to CSV
 * with the streaming {@link CsvExporter}: the same conditions as the page query ({@link UserSql#where}), the
 * departments as one column ("Field Lab, Sales"), and the exporter's rules (formula neutralising, a replace only
 * when confirmed, no partial file, never into the data folder).
 */
public final class UserExport {

    /** The CSV header, in column order. */
    public static final List<String> HEADER = List.of("id", "email", "username", "role", "active", "quota", "usage",
            "departments", "last_login", "created_at", "created_by", "updated_at", "updated_by");
    /** Which columns hold free text (and so may be neutralised); ids, numbers, flags and times do not. */
    private static final boolean[] FREE_TEXT = {false, true, true, false, false, false, false, true, false, false, true, false, true};

    private final UserListing listing;
    private final Dialect dialect;
    private final CsvExporter exporter;

    public UserExport(UserListing listing, Dialect dialect, CsvExporter exporter) {
        this.listing = listing;
        this.dialect = dialect;
        this.exporter = exporter;
    }

    /** Checks the target without writing (a {@code ValidationException} on field {@value CsvExporter#PATH_FIELD}). */
    public CsvExporter.Target checkTarget(String path) {
        return exporter.checkTarget(path);
    }

    /** Streams every user matching {@code q}, in its order, to {@code path}; an existing file only with {@code replaceConfirmed}. */
    public CsvExporter.Result export(UserQuery q, String path, boolean replaceConfirmed) {
        Visibility v = listing.visibility(); // a viewer's export reads users_masked, as the viewer's pages do
        return exporter.export(new CsvExporter.Rows(HEADER, FREE_TEXT, () -> listing.count(q).value(), c -> {
            List<Object> params = new ArrayList<>();
            String expr = UserSql.sortExpression(q.sort());
            String dir = q.ascending() ? " ASC" : " DESC";
            String sql = "SELECT u.id, u.email, u.username, u.role, u.active, u.quota, u.usage_amount, "
                    + "(SELECT STRING_AGG(d.name, ', ' ORDER BY d.name) FROM user_departments ud JOIN departments d ON d.id = ud.department_id "
                    + "WHERE ud.user_id = u.id), u.last_login, u.created_at, u.created_by, u.updated_at, u.updated_by FROM "
                    + UserSql.orderedFromWhere(c, q, params, dialect, v)
                    + " ORDER BY " + expr + dir + ", u.id" + dir;
            PreparedStatement ps = c.prepareStatement(sql);
            try {
                UserSql.bind(ps, params);
            } catch (java.sql.SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
            return ps;
        }), path, replaceConfirmed);
    }
}
