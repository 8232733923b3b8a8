package org.adminconsole.domain;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.annotations.NaturalId;
import org.hibernate.annotations.NaturalIdCache;

/**
 * A user account. The natural id is {@code emailKey} (the lower-cased email), so lookups by email are
 * case-insensitive and cached in the {@code User##NaturalId} region. Audit fields (created/updated at/by)
 * are filled by the persistence layer's audit interceptor, never by callers.
 */
@Entity
@Table(name = "users")
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
@NaturalIdCache
public class User {

    /** Ids from {@code users_seq} in blocks of 50 (pooled-lo): inserts batch, and the generator takes ids up front. */
    public static final int ID_BLOCK = 50;

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "users_seq")
    @SequenceGenerator(name = "users_seq", sequenceName = "users_seq", allocationSize = ID_BLOCK)
    private Long id;

    @Column(nullable = false, length = 254)
    private String email;

    @NaturalId(mutable = true)
    @Column(name = "email_key", nullable = false, length = 254, unique = true)
    private String emailKey;

    @Column(nullable = false, length = 64, unique = true)
    private String username;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private Role role;

    @Column(nullable = false)
    private boolean active;

    @Column(nullable = false, precision = 15, scale = 2)
    private BigDecimal quota;

    @Column(name = "usage_amount", nullable = false, precision = 15, scale = 2)
    private BigDecimal usage;

    @Column(length = 10000)
    private String settings;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    private LocalDateTime updatedAt;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "updated_by", nullable = false, length = 64)
    private String updatedBy;

    @Column(name = "last_login")
    private LocalDateTime lastLogin;

    @Version
    @Column(nullable = false)
    private long version;

    @ManyToMany
    @JoinTable(name = "user_departments",
            joinColumns = @JoinColumn(name = "user_id"),
            inverseJoinColumns = @JoinColumn(name = "department_id"))
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    private Set<Department> departments = new LinkedHashSet<>();

    /**
     * Sort key of the Departments column: the first department name, '' for none; indexed with the id (V62),
     * kept by {@link #syncDepartmentKey} on every save and by the SQL of bulk moves and data generation.
     */
    @Column(name = "department_key", nullable = false, length = 100)
    private String departmentKey = "";

    protected User() {
    }

    public User(String email, String username, Role role) {
        setEmail(email);
        this.username = username;
        this.role = role;
        this.active = true;
        this.quota = BigDecimal.ZERO;
        this.usage = BigDecimal.ZERO;
    }

    public static String emailKeyOf(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    public Long getId() { return id; }
    public String getEmail() { return email; }

    public void setEmail(String email) {
        this.email = email == null ? null : email.trim();
        this.emailKey = emailKeyOf(email);
    }

    public String getEmailKey() { return emailKey; }
    public String getUsername() { return username; }
    public void setUsername(String username) { this.username = username; }
    public Role getRole() { return role; }
    public void setRole(Role role) { this.role = role; }
    public boolean isActive() { return active; }
    public void setActive(boolean active) { this.active = active; }
    public BigDecimal getQuota() { return quota; }
    public void setQuota(BigDecimal quota) { this.quota = quota; }
    public BigDecimal getUsage() { return usage; }
    public void setUsage(BigDecimal usage) { this.usage = usage; }
    public String getSettings() { return settings; }
    public void setSettings(String settings) { this.settings = settings; }
    public LocalDateTime getCreatedAt() { return createdAt; }
    public LocalDateTime getUpdatedAt() { return updatedAt; }
    public String getCreatedBy() { return createdBy; }
    public String getUpdatedBy() { return updatedBy; }
    public LocalDateTime getLastLogin() { return lastLogin; }
    public void setLastLogin(LocalDateTime lastLogin) { this.lastLogin = lastLogin; }
    public long getVersion() { return version; }
    public Set<Department> getDepartments() { return departments; }
    public String getDepartmentKey() { return departmentKey; }

    /** Recomputes the Departments sort key from the (initialized) departments collection. */
    @jakarta.persistence.PrePersist
    @jakarta.persistence.PreUpdate
    public void syncDepartmentKey() {
        if (org.hibernate.Hibernate.isInitialized(departments)) {
            departmentKey = departments.stream().map(Department::getName).min(Comparator.naturalOrder()).orElse("");
        }
    }

    /** Snapshot for the UI and caches; touches the departments collection, so call inside the operation. */
    public UserView toView() {
        List<DepartmentView> deps = departments.stream()
                .map(Department::toView)
                .sorted(Comparator.comparing(DepartmentView::name))
                .toList();
        return new UserView(id, email, username, role, active, quota, usage, settings, deps,
                createdAt, updatedAt, createdBy, updatedBy, lastLogin, version);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof User u && id != null && id.equals(u.id);
    }

    @Override
    public int hashCode() {
        return User.class.hashCode();
    }

    @Override
    public String toString() {
        return "User#" + id + "<" + email + ">";
    }
}
