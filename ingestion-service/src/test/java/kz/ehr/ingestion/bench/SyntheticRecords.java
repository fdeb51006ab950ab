package kz.ehr.ingestion.bench;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import kz.ehr.identity.Bin;
import kz.ehr.identity.CheckDigit;

/** Realistic provider records (API.md) for load: Kazakh names, valid IINs and BINs, the usual mix of types. */
final class SyntheticRecords {
    private static final String[] LAST_M = {"Ахметов", "Серікбаев", "Жұмабеков", "Нұрланов", "Иванов", "Ким", "Қасымов", "Әбдірахманов"};
    private static final String[] LAST_F = {"Ахметова", "Сейткали", "Жұмабекова", "Нұрланова", "Иванова", "Ким", "Қасымова", "Оспанова"};
    private static final String[] FIRST_M = {"Ерлан", "Нұрсұлтан", "Асхат", "Дәурен", "Алексей", "Бауыржан", "Ғалым"};
    private static final String[] FIRST_F = {"Айгерим", "Гүлнар", "Әйгерім", "Динара", "Мария", "Жанар", "Сәуле"};
    private static final String[] MIDDLE_M = {"Серикович", "Маратұлы", "Ахметович", "Иванович"};
    private static final String[] MIDDLE_F = {"Сериковна", "Маратқызы", "Ахметовна", "Ивановна"};
    private static final String[] ICD = {"I10", "J06.9", "E11.9", "K29.7", "M54.5", "Z00.0", "I25.1", "J45.9", "N39.0"};
    private static final String[] SERVICES = {"A01.001", "B03.016", "A05.10.006", "B01.047", "A12.09.005"};
    private static final String[] BINS = bins();

    private final SplittableRandom random;
    private final String runId;
    private long seq;

    SyntheticRecords(long seed, String runId) {
        this.random = new SplittableRandom(seed);
        this.runId = runId;
    }

    private static String[] bins() {
        String[] out = new String[20];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < out.length; i++) {
            out[i] = Bin.issue(1995 + i, 1 + i % 12, r.nextInt(100_000));
        }
        return out;
    }

    static String validIdentifier(SplittableRandom r, LocalDate date, int centuryDigit) {
        while (true) {
            String stem = String.format("%02d%02d%02d%d%04d", date.getYear() % 100, date.getMonthValue(), date.getDayOfMonth(),
                    centuryDigit, r.nextInt(10_000));
            int check = CheckDigit.of(stem);
            if (check >= 0) {
                return stem + check;
            }
        }
    }

    /**
     * A batch template whose record ids carry an 8-character slot; {@link Template#fill} writes a batch number into
     * every slot, so each request has new record ids without generating 1,000 records on the client's CPU.
     */
    static final class Template {
        static final String SLOT = "########";
        final byte[] bytes;
        final int[] slots;

        Template(String ndjson) {
            this.bytes = ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.util.List<Integer> found = new java.util.ArrayList<>();
            byte[] slot = SLOT.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            outer:
            for (int i = 0; i + slot.length <= bytes.length; i++) {
                for (int k = 0; k < slot.length; k++) {
                    if (bytes[i + k] != slot[k]) {
                        continue outer;
                    }
                }
                found.add(i);
                i += slot.length - 1;
            }
            this.slots = found.stream().mapToInt(Integer::intValue).toArray();
        }

        byte[] fill(long batchNumber) {
            byte[] out = bytes.clone();
            String n = String.format("%08d", batchNumber % 100_000_000L);
            for (int at : slots) {
                for (int k = 0; k < 8; k++) {
                    out[at + k] = (byte) n.charAt(k);
                }
            }
            return out;
        }
    }

    Template template(int n) {
        StringBuilder sb = new StringBuilder(n * 620);
        for (int i = 0; i < n; i++) {
            sb.append(record(runId + "-" + Template.SLOT + "-" + i)).append('\n');
        }
        return new Template(sb.toString());
    }

    /** One NDJSON batch of {@code n} new records. */
    String batch(int n) {
        StringBuilder sb = new StringBuilder(n * 620);
        for (int i = 0; i < n; i++) {
            sb.append(record()).append('\n');
        }
        return sb.toString();
    }

    String record() {
        return record(runId + "-" + seq);
    }

    String record(String recordId) {
        long id = seq++;
        boolean male = random.nextBoolean();
        LocalDate birth = LocalDate.of(1940 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28));
        int century = birth.getYear() >= 2000 ? (male ? 5 : 6) : (male ? 3 : 4);
        String iin = validIdentifier(random, birth, century);
        if (random.nextInt(100) == 0) {
            iin = iin.substring(0, 11) + ((iin.charAt(11) - '0' + 1) % 10); // the occasional typo: accepted with a warning
        }
        String last = male ? LAST_M[random.nextInt(LAST_M.length)] : LAST_F[random.nextInt(LAST_F.length)];
        String first = male ? FIRST_M[random.nextInt(FIRST_M.length)] : FIRST_F[random.nextInt(FIRST_F.length)];
        String middle = male ? MIDDLE_M[random.nextInt(MIDDLE_M.length)] : MIDDLE_F[random.nextInt(MIDDLE_F.length)];
        OffsetDateTime at = OffsetDateTime.of(2024, 1 + random.nextInt(12), 1 + random.nextInt(28), 8 + random.nextInt(10),
                random.nextInt(60), 0, 0, ZoneOffset.ofHours(5));
        String patient = """
                "patient":{"localId":"P-%d","iin":"%s","lastName":"%s","firstName":"%s","middleName":"%s","birthDate":"%s","sex":"%s","phone":"8 (70%d) %03d-%02d-%02d","address":"г. Алматы, ул. Абая, д. %d, кв. %d"}"""
                .formatted(random.nextInt(5_000_000), iin, last, first, middle, birth, male ? "M" : "F", random.nextInt(8),
                        random.nextInt(1000), random.nextInt(100), random.nextInt(100), 1 + random.nextInt(200), 1 + random.nextInt(300));
        String bin = BINS[random.nextInt(BINS.length)];
        int kind = random.nextInt(100);
        if (kind < 60) {
            return """
                    {"recordId":"%s","type":"ENCOUNTER","occurredAt":"%s",%s,"encounter":{"encounterId":"E-%d","polyclinicBin":"%s","doctorId":"D-%d","start":"%s","end":"%s","kind":"VISIT","diagnoses":["%s"],"services":["%s","%s"],"referral":false}}"""
                    .formatted(recordId, at, patient, id, bin, random.nextInt(5000), at, at.plusMinutes(20),
                            ICD[random.nextInt(ICD.length)], SERVICES[random.nextInt(SERVICES.length)], SERVICES[random.nextInt(SERVICES.length)]);
        } else if (kind < 75) {
            return """
                    {"recordId":"%s","type":"PATIENT","occurredAt":"%s",%s}""".formatted(recordId, at, patient);
        } else if (kind < 85) {
            return """
                    {"recordId":"%s","type":"OBSERVATION","occurredAt":"%s",%s,"observation":{"code":"FLUOROGRAPHY","value":"NORMAL","unit":null,"effectiveAt":"%s"}}"""
                    .formatted(recordId, at, patient, at);
        } else if (kind < 90) {
            return """
                    {"recordId":"%s","type":"IMMUNIZATION","occurredAt":"%s",%s,"immunization":{"vaccine":"ADS-M","dose":%d,"date":"%s"}}"""
                    .formatted(recordId, at, patient, 1 + random.nextInt(3), at.toLocalDate());
        } else if (kind < 95) {
            return """
                    {"recordId":"%s","type":"ATTACHMENT","occurredAt":"%s",%s,"attachment":{"polyclinicBin":"%s","region":"ALMATY","from":"%s","to":null}}"""
                    .formatted(recordId, at, patient, bin, at.toLocalDate());
        }
        return """
                {"recordId":"%s","type":"INSURANCE","occurredAt":"%s",%s,"insurance":{"insured":%s,"from":"%s","to":"%s"}}"""
                .formatted(recordId, at, patient, random.nextBoolean(), at.toLocalDate(), at.toLocalDate().plusYears(1));
    }
}
