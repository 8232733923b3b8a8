package org.adminconsole.service.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values of one generated demo user: a pure function of its id, the chunk's random sequence and the departments.
 * The generator writes these; {@code GenerationBench}'s plain-JDBC baseline writes the very same rows, so that the
 * two are compared on equal data (random quota, usage, role and last login spread over their indexes).
 *
 * @param secondDepartment the second department's id, or 0 when the user has one department
 */
public record DemoUser(long id, String email, String username, String role, boolean active, BigDecimal quota,
        BigDecimal usage, String settings, Timestamp lastLogin, String departmentKey, long department, long secondDepartment) {

    /** A department a demo user can be in. */
    public record Department(long id, String name) {
    }

    private static final String[] ROLES = {"USER", "USER", "USER", "USER", "USER", "OPERATOR", "OPERATOR", "GUEST", "ADMIN"};
    private static final String[] FIRST = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"};
    private static final BigDecimal[] QUOTAS = new BigDecimal[9];

    static {
        for (int i = 0; i < QUOTAS.length; i++) {
            QUOTAS[i] = BigDecimal.valueOf(1000 + i * 1000L).setScale(2);
        }
    }

    /**
     * The next user of a chunk: draws from {@code rnd} in a fixed order, so a chunk seeded with its first id gives the
     * same users every time.
     */
    public static DemoUser next(long id, SplittableRandom rnd, LocalDateTime now, Timestamp nowTs, List<Department> departments) {
        String name = FIRST[(int) (id % FIRST.length)] + "." + id;
        String email = name + "@example.com";
        String role = ROLES[rnd.nextInt(ROLES.length)];
        boolean active = rnd.nextInt(10) != 0;
        BigDecimal quota = QUOTAS[rnd.nextInt(9)];
        // usage: 0 to 115 % of the quota, so about one user in eight is over quota
        BigDecimal usage = quota.multiply(BigDecimal.valueOf(rnd.nextInt(116), 2)).setScale(2, RoundingMode.HALF_UP);
        String settings = rnd.nextInt(4) == 0 ? "{\"theme\":\"dark\"}" : null;
        Timestamp lastLogin = rnd.nextInt(5) == 0 ? null : Timestamp.valueOf(now.minusMinutes(rnd.nextInt(500_000)));
        // one or two departments; the sort key is the first name in alphabetical order (as saves keep it)
        Department first = departments.get((int) (id % departments.size()));
        Department second = id % 3 == 0 ? departments.get((int) (id * 7 % departments.size())) : null;
        if (second != null && second.id() == first.id()) {
            second = null;
        }
        String key = second == null || first.name().compareTo(second.name()) <= 0 ? first.name() : second.name();
        return new DemoUser(id, email, name, role, active, quota, usage, settings, lastLogin, key, first.id(),
                second == null ? 0 : second.id());
    }
}
