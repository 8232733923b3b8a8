package org.adminconsole.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the console accepts in {@code db.url}, and how a URL is shown without its password.
 *
 * <p>Refused: URL options that make the driver run code or load classes named in the URL. H2's {@code INIT}
 * runs SQL (and through it Java) at every connect; pgjdbc instantiates the classes named by
 * {@code socketFactory}, {@code sslfactory}, {@code sslhostnameverifier}, {@code sslpasswordcallback} and
 * {@code authenticationPluginClassName} (CVE-2022-21724), and {@code loggerFile} writes a file anywhere.
 */
public final class DbUrls {

    private static final List<String> H2_REFUSED = List.of("INIT");
    private static final List<String> PG_REFUSED = List.of("socketfactory", "socketfactoryarg", "sslfactory", "sslfactoryarg",
            "sslhostnameverifier", "sslpasswordcallback", "authenticationpluginclassname", "loggerfile", "loggerlevel");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)([^&;]*)");

    private DbUrls() {
    }

    /** Why {@code url} is not accepted, or null when it is (empty means the default H2 file). */
    static String problem(String url) {
        if (url.isEmpty()) {
            return null;
        }
        if (url.startsWith("jdbc:h2:")) {
            for (String part : url.split(";")) {
                String key = part.contains("=") ? part.substring(0, part.indexOf('=')).trim().toUpperCase(Locale.ROOT) : "";
                if (H2_REFUSED.contains(key)) {
                    return "must not contain the H2 option " + key + " (it runs code at every connect); remove it";
                }
            }
            return null;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            int q = url.indexOf('?');
            if (q >= 0) {
                for (String part : url.substring(q + 1).split("&")) {
                    String key = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
                    if (PG_REFUSED.contains(key.trim().toLowerCase(Locale.ROOT))) {
                        return "must not contain the option " + key.trim() + " (it makes the driver load a class or write a file); remove it";
                    }
                }
            }
            return null;
        }
        return "must be an H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql://host:port/db) JDBC URL";
    }

    /** The URL with any password parameter replaced by {@code ****}. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = PASSWORD_PARAM.matcher(url);
        return m.replaceAll("$1****");
    }

    public static boolean isH2(String url) {
        return url.startsWith("jdbc:h2:");
    }

    /** An H2 URL that talks to a server over the network (not an embedded or in-memory database). */
    public static boolean isH2Server(String url) {
        return url.startsWith("jdbc:h2:tcp:") || url.startsWith("jdbc:h2:ssl:");
    }

    public static boolean isH2AutoServer(String url) {
        return isH2(url) && url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    public static boolean isPostgres(String url) {
        return url.startsWith("jdbc:postgresql:");
    }
}
