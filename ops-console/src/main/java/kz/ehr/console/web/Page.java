package kz.ehr.console.web;

import java.util.Arrays;
import java.util.List;

import kz.ehr.console.session.StaffSession;
import kz.ehr.security.Roles;

/**
 * The console's pages and the roles that open each: the same roles the services check on the endpoints behind the
 * page (kz.ehr.security.Roles), so nobody is shown a page whose every call would answer 403. The services still
 * decide each call; this only keeps the menu honest.
 */
public enum Page {
    PLATFORM("/platform", "Platform", Roles.OPS),
    PROVIDERS("/providers", "Providers", Roles.OPS),
    PATIENTS("/patients", "Patients", Roles.CLINICIAN, Roles.REVIEWER),
    REVIEWS("/reviews", "Review queue", Roles.REVIEWER),
    CERTIFICATES("/certificates", "Certificates", Roles.ALL.toArray(String[]::new)),
    CAPITATION("/capitation", "Capitation", Roles.OPS, Roles.AUDITOR),
    FRAUD("/fraud", "Fraud", Roles.REVIEWER, Roles.OPS, Roles.AUDITOR),
    OUTREACH("/outreach", "Outreach", Roles.OPS),
    AUDIT("/audit", "Audit", Roles.AUDITOR);

    public final String path;
    public final String title;
    public final List<String> roles;

    Page(String path, String title, String... roles) {
        this.path = path;
        this.title = title;
        this.roles = List.of(roles);
    }

    public boolean opensFor(StaffSession session) {
        return session != null && session.hasAny(roles);
    }

    public static List<Page> visibleTo(StaffSession session) {
        return Arrays.stream(values()).filter(p -> p.opensFor(session)).toList();
    }
}
