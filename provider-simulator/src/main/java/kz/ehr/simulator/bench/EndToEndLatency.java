package kz.ehr.simulator.bench;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kz.ehr.simulator.output.RecordJson;
import kz.ehr.identity.Bin;
import kz.ehr.identity.Iin;
import kz.ehr.simulator.population.TimelineGenerator;

/**
 * Accepted → visible: for each sample a new person's PATIENT and a screening ENCOUNTER (a cervical screening of
 * a man, so billing's fraud monitor must flag it) are posted in one batch; from the moment ingestion answers 200
 * the benchmark polls patient-index (source record), certificate-service (person events) and billing (a flag on
 * the sample's own doctor id) until each shows the record.
 */
final class EndToEndLatency {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 20;

    static Map<String, Object> measure(Platform platform, String provider, String key, int samples, long timeoutSeconds) throws Exception {
        SplittableRandom r = new SplittableRandom(System.nanoTime());
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36).toUpperCase();
        String[] names = {"patientIndex", "certificates", "billing"};
        Histogram[] h = {new Histogram(3), new Histogram(3), new Histogram(3)};
        int[] missed = new int[3];
        boolean[] given = new boolean[3];
        Histogram accept = new Histogram(3);
        String bin = Bin.issue(2005, 3, 4242);
        for (int i = 0; i < samples; i++) {
            LocalDate birth = LocalDate.of(1960 + r.nextInt(40), 1 + r.nextInt(12), 1 + r.nextInt(28));
            String iin = Iin.issue(birth, "M", 9000 + r.nextInt(900));
            String localId = "BENCH-" + run + "-" + i;
            String recordId = "bench-" + run + "-" + i;
            String doctor = "DRB" + run + i;
            OffsetDateTime visit = TimelineGenerator.at(LocalDate.now().minusDays(3), 10, 0);
            ObjectNode patient = JSON.createObjectNode().put("localId", localId).put("iin", iin).put("lastName", "Бенчмарков")
                    .put("firstName", "Тест").put("birthDate", birth.toString()).put("sex", "M");
            ObjectNode p = JSON.createObjectNode().put("recordId", recordId + "-p").put("type", "PATIENT")
                    .put("occurredAt", RecordJson.iso(visit.minusMinutes(5)));
            p.set("patient", patient);
            ObjectNode e = JSON.createObjectNode().put("recordId", recordId + "-e").put("type", "ENCOUNTER")
                    .put("occurredAt", RecordJson.iso(visit));
            e.set("patient", patient);
            ObjectNode enc = e.putObject("encounter").put("encounterId", "E-" + recordId).put("polyclinicBin", bin)
                    .put("doctorId", doctor).put("start", RecordJson.iso(visit)).put("end", RecordJson.iso(visit.plusMinutes(15)))
                    .put("kind", "SCREENING").put("screening", "CERVICAL").put("referral", false);
            enc.putArray("diagnoses").add("Z12.4");
            enc.putArray("services").add("SCR-CERVICAL");
            long t0 = System.nanoTime();
            Platform.Answer a = platform.post(platform.ingestion + "/api/v1/records", "application/x-ndjson", key, p + "\n" + e + "\n");
            long accepted = System.nanoTime();
            if (a.status() != 200) {
                throw new IllegalStateException("ingestion answered " + a.status() + ": " + a.body());
            }
            accept.recordValue(Math.max(1, (accepted - t0) / 1000));
            String[] urls = {platform.sourceRecordUrl(provider, localId), platform.certificates + "/api/v1/persons/" + iin + "/events",
                    platform.billing + "/api/v1/fraud/flags?doctor=" + Platform.enc(doctor)};
            String[] expect = {null, recordId + "-e", "\"flagId\""};
            boolean[] seen = new boolean[3];
            long deadline = accepted + timeoutSeconds * 1_000_000_000L;
            int open = 0;
            for (int s = 0; s < 3; s++) {
                // a service that showed nothing for the first three samples is not waited for again
                seen[s] = i >= 3 && !given[s] && missed[s] >= 3;
                open += seen[s] ? 0 : 1;
            }
            while (open > 0 && System.nanoTime() < deadline) {
                for (int s = 0; s < 3; s++) {
                    if (seen[s]) {
                        continue;
                    }
                    Platform.Answer answer = platform.get(urls[s]);
                    if (answer.status() == 200 && (expect[s] == null || answer.body().contains(expect[s]))) {
                        h[s].recordValue(Math.max(1, (System.nanoTime() - accepted) / 1000));
                        seen[s] = true;
                        given[s] = true;
                        open--;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
            for (int s = 0; s < 3; s++) {
                if (!seen[s]) {
                    missed[s]++;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", samples);
        m.put("pollIntervalMs", POLL_MILLIS);
        m.put("timeoutSeconds", timeoutSeconds);
        m.put("ingestionAcceptMs", Percentiles.millis(accept));
        for (int s = 0; s < 3; s++) {
            Map<String, Object> x = Percentiles.millis(h[s]);
            x.put("notVisible", samples - h[s].getTotalCount());
            m.put(names[s] + "VisibleMs", x);
        }
        m.put("visibleWhen", Map.of("patientIndex", "GET /api/v1/source-records/{providerId}/{localId} answers 200",
                "certificates", "GET /api/v1/persons/{iin}/events lists the encounter's source record id",
                "billing", "GET /api/v1/fraud/flags?doctor=… lists a flag (wrong-sex screening) on the sample's visit"));
        return m;
    }
}
