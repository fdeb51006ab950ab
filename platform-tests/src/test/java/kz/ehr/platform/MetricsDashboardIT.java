package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.security.Roles;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestTokens;

/**
 * Issue #18's Grafana check: every metric the checked-in dashboard (deploy/grafana/dashboards/ehr-stream.json) queries
 * is exported by a packaged service. The four services run as processes (production profile, so /q/metrics is read
 * with an ops token, as Prometheus reads it), take a small load that moves every panel (records accepted and rejected,
 * a link, a certificate issued and verified, a capitation run), and then their /q/metrics answers are searched for
 * each name the dashboard's PromQL reads. Each answer is kept under target/metrics/ for a look.
 */
class MetricsDashboardIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static RunningPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), "_metrics",
                TestPlatform::freshDatabase, RunningPlatform.underLoad());
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExportedByARunningServiceAfterASmallLoad() throws Exception {
        load();
        String ops = "Bearer " + TestTokens.of("prometheus", Roles.OPS);
        Set<String> exported = new LinkedHashSet<>();
        Map<String, Integer> perService = new LinkedHashMap<>();
        Path out = Path.of("target", "metrics");
        Files.createDirectories(out);
        for (ServiceProcess s : platform.all()) {
            HttpResponse<String> r = s.request("GET", "/q/metrics", ops, Map.of(), null);
            assertThat(r.statusCode()).as(s.name).isEqualTo(200);
            Files.writeString(out.resolve(s.name + ".txt"), r.body());
            Set<String> names = Dashboards.exported(r.body());
            perService.put(s.name, names.size());
            exported.addAll(names);
        }
        Map<String, List<String>> panels = Dashboards.expressions(Dashboards.DASHBOARD);
        Set<String> queried = new LinkedHashSet<>();
        panels.values().forEach(exprs -> exprs.forEach(e -> queried.addAll(Dashboards.metricNames(e))));
        Map<String, Set<String>> missing = Dashboards.missing(panels, exported);
        System.out.printf("METRICS check=dashboard panels=%d metrics_queried=%d exported=%s missing=%s%n",
                panels.size(), queried.size(), perService, missing);

        assertThat(panels).as("the dashboard's panels").hasSizeGreaterThanOrEqualTo(8);
        assertThat(panels).allSatisfy((title, exprs) -> assertThat(exprs).as(title).isNotEmpty());
        // the check itself can see a wrong name: one letter off in a real query is reported missing
        String real = panels.values().iterator().next().get(0);
        String name = Dashboards.metricNames(real).iterator().next();
        assertThat(Dashboards.missing(Map.of("misspelt", List.of(real.replace(name, name + "x"))), exported))
                .containsKey("misspelt");
        assertThat(missing).as("metrics queried by the dashboard that no service exports").isEmpty();
    }

    /** Records accepted and rejected, the patient index linking them, a certificate issued and verified, a capitation run. */
    private static void load() throws Exception {
        List<SyntheticPeople.Person> people = SyntheticPeople.cohort(3);
        StringBuilder batch = new StringBuilder();
        for (SyntheticPeople.Person p : people) {
            batch.append(SyntheticPeople.patientRecord(p)).append('\n').append(SyntheticPeople.visitRecord(p)).append('\n');
        }
        batch.append("{\"recordId\":\"bad-1\",\"type\":\"NOT_A_TYPE\",\"patient\":{\"localId\":\"X-1\"}}\n");
        HttpResponse<String> r = platform.submit(batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("rejected").size()).as(r.body()).isEqualTo(1);

        SyntheticPeople.Person p = people.get(0);
        platform.await("the patient index links " + p.localId(), Duration.ofSeconds(120), () ->
                platform.patientIndex().get("/api/v1/source-records/" + platform.providerId + "/" + p.localId()).statusCode() == 200
                        ? true : null);
        String clinician = "Bearer " + TestTokens.of("dr-metrics", Roles.CLINICIAN);
        Map<String, String> why = Map.of("X-Purpose", "metrics check");
        JsonNode issued = platform.await("a certificate is issued", Duration.ofSeconds(120), () -> {
            HttpResponse<String> c = platform.certificates().request("POST", "/api/v1/certificates", clinician, why,
                    "{\"iin\":\"" + p.iin() + "\",\"type\":\"PSYCHIATRIC_CLEARANCE\"}");
            return c.statusCode() == 201 ? JSON.readTree(c.body()) : null;
        });
        HttpResponse<String> verified = platform.certificates().request("POST", "/api/v1/verifications", null, Map.of(),
                "{\"token\":\"" + issued.path("token").asText() + "\"}");
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        platform.await("billing has the visits", Duration.ofSeconds(120), () -> {
            HttpResponse<String> e = platform.billing().get("/api/v1/persons/" + p.iin() + "/events");
            return e.statusCode() == 200 && JSON.readTree(e.body()).path("events").size() >= 2 ? true : null;
        });
        HttpResponse<String> run = platform.billing().request("POST", "/api/v1/capitation/2025-02/run",
                "Bearer " + TestTokens.of("finance", Roles.OPS), Map.of(), null);
        assertThat(run.statusCode()).as(run.body()).isBetween(200, 299);
    }
}
