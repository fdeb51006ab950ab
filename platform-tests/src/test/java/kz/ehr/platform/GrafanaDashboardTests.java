package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The checked-in dashboard as a file: its PromQL reads as the metric names the running check (MetricsDashboardIT)
 * looks for, and every panel queries the provisioned Prometheus datasource.
 */
class GrafanaDashboardTests {
    @Test
    void metricNamesAreReadFromPromQlWithoutFunctionsLabelsKeywordsOrRanges() {
        assertThat(Dashboards.metricNames("sum by (code) (rate(ehr_ingestion_rejections_total{code!=\"x\",job=~\"a|b\"}[$__rate_interval]))"))
                .containsExactly("ehr_ingestion_rejections_total");
        assertThat(Dashboards.metricNames("histogram_quantile(0.99, sum by (le, channel) (rate(ehr_ingestion_batch_seconds_bucket[5m])))"))
                .containsExactly("ehr_ingestion_batch_seconds_bucket");
        assertThat(Dashboards.metricNames("max(a_total offset 1h) / on(job) group_left b_gauge or vector(0) and c:recorded unless d == bool 1e3"))
                .containsExactly("a_total", "b_gauge", "c:recorded", "d");
        assertThat(Dashboards.metricNames("sum(x_total) without (instance) + sum(rate(y_total[1m:10s]))")).containsExactly("x_total", "y_total");
    }

    @Test
    void exportedNamesAreTheSampleLinesOfAnExposition() {
        String exposition = """
                # HELP ehr_consumer_lag Messages not yet handled
                # TYPE ehr_consumer_lag gauge
                ehr_consumer_lag{group="billing-service"} 0.0
                http_server_requests_seconds_count{method="GET",uri="/q/health"} 3.0
                jvm_threads_live_threads 42.0
                """;
        assertThat(Dashboards.exported(exposition)).containsExactly("ehr_consumer_lag", "http_server_requests_seconds_count",
                "jvm_threads_live_threads");
        assertThat(Dashboards.missing(Map.of("p", List.of("rate(ehr_consumer_lagg[1m])", "up")), Dashboards.exported(exposition)))
                .containsEntry("p", java.util.Set.of("ehr_consumer_lagg"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPanelQueriesTheProvisionedPrometheusDatasource() throws IOException {
        Map<String, Object> provisioning = new Yaml().load(Files.readString(
                Dashboards.ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> datasource = ((List<Map<String, Object>>) provisioning.get("datasources")).get(0);
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Dashboards.DASHBOARD));
        assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(8);
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo(datasource.get("uid"));
            assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
            for (JsonNode target : panel.path("targets")) {
                assertThat(Dashboards.metricNames(target.path("expr").asText())).as(target.path("expr").asText()).isNotEmpty();
            }
        }
        // the panels issue 18 asks for, by what they read
        String all = dashboard.toString();
        assertThat(all).contains("ehr_ingestion_records_total", "ehr_ingestion_rejections_total", "ehr_consumer_lag",
                "ehr_mpi_links_total", "ehr_mpi_review_decisions_total", "certificates_issue_seconds_count",
                "ehr_certificates_verifications_total", "ehr_billing_capitation_runs_total", "ehr_billing_fraud_flags_raised_total");
    }
}
