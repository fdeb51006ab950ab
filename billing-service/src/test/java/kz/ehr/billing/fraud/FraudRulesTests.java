package kz.ehr.billing.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationInput;
import kz.ehr.billing.capitation.CapitationLine;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.capitation.CombinationPolicy;
import kz.ehr.billing.capitation.PersonHistory;

class FraudRulesTests {
    static final FraudScreen SCREEN = new FraudScreen(FraudPolicy.defaults());
    static final String BIN = "BIN-A";

    static ScreenedVisit visit(String key, String date, String kind, String screening, List<String> services, boolean referral, String bin) {
        LocalDate d = LocalDate.parse(date);
        Instant start = d.atTime(10, 0).toInstant(java.time.ZoneOffset.ofHours(5));
        return new ScreenedVisit(key, "P", bin, "D-1", start, start.plusSeconds(900), d, kind, screening, services, referral);
    }

    static ScreenedVisit visit(String key, String date) {
        return visit(key, date, "VISIT", null, List.of("A01"), false, BIN);
    }

    static PersonContext person(String sex, String born, String died, List<HospitalStay> stays, ScreenedVisit... visits) {
        return new PersonContext("P", sex, LocalDate.parse(born), died == null ? null : LocalDate.parse(died),
                List.of(new PersonHistory.Attachment(BIN, null, LocalDate.of(2015, 1, 1), null)), stays, List.of(visits));
    }

    static Set<String> rulesFiredOn(PersonContext p, String visitKey) {
        return SCREEN.screenPerson(p).stream().filter(f -> f.visitKey().equals(visitKey)).map(Finding::ruleId).collect(Collectors.toSet());
    }

    static Stream<Arguments> personCases() {
        Instant admitted = LocalDate.of(2025, 10, 5).atStartOfDay().toInstant(java.time.ZoneOffset.ofHours(5));
        Instant discharged = LocalDate.of(2025, 10, 12).atStartOfDay().toInstant(java.time.ZoneOffset.ofHours(5));
        return Stream.of(
                Arguments.of("a plain visit of an attached living patient is clean",
                        person("M", "1985-03-15", null, List.of(), visit("v", "2025-10-01")), Set.of()),
                Arguments.of("visit after death",
                        person("M", "1985-03-15", "2025-09-30", List.of(), visit("v", "2025-10-01")), Set.of("VISIT_AFTER_DEATH")),
                Arguments.of("visit on the day of death is not after it",
                        person("M", "1985-03-15", "2025-10-01", List.of(), visit("v", "2025-10-01")), Set.of()),
                Arguments.of("cervical screening for a man",
                        person("M", "1985-03-15", null, List.of(), visit("v", "2025-10-01", "SCREENING", "CERVICAL", List.of(), false, BIN)),
                        Set.of("SCREENING_OUTSIDE_TARGET_GROUP")),
                Arguments.of("cervical screening for a woman of 40 is in the group",
                        person("F", "1985-03-15", null, List.of(), visit("v", "2025-10-01", "SCREENING", "CERVICAL", List.of(), false, BIN)),
                        Set.of()),
                Arguments.of("colorectal screening at 40 is below the age group",
                        person("F", "1985-03-15", null, List.of(), visit("v", "2025-10-01", "SCREENING", "COLORECTAL", List.of(), false, BIN)),
                        Set.of("SCREENING_OUTSIDE_TARGET_GROUP")),
                Arguments.of("outpatient visit during a stay in another hospital",
                        person("M", "1985-03-15", null, List.of(new HospitalStay("HOSP-1", admitted, discharged)), visit("v", "2025-10-08")),
                        Set.of("VISIT_DURING_HOSPITAL_STAY")),
                Arguments.of("visit after discharge is clean",
                        person("M", "1985-03-15", null, List.of(new HospitalStay("HOSP-1", admitted, discharged)), visit("v", "2025-10-13")),
                        Set.of()),
                Arguments.of("still admitted (no discharge) covers the visit",
                        person("M", "1985-03-15", null, List.of(new HospitalStay("HOSP-1", admitted, null)), visit("v", "2025-10-20")),
                        Set.of("VISIT_DURING_HOSPITAL_STAY")),
                Arguments.of("visit by a polyclinic the patient is not attached to, no referral",
                        person("M", "1985-03-15", null, List.of(), visit("v", "2025-10-01", "VISIT", null, List.of(), false, "BIN-OTHER")),
                        Set.of("NOT_ATTACHED_NO_REFERRAL")),
                Arguments.of("the same with a referral is clean",
                        person("M", "1985-03-15", null, List.of(), visit("v", "2025-10-01", "VISIT", null, List.of(), true, "BIN-OTHER")),
                        Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personCases")
    void personRules(String name, PersonContext person, Set<String> expected) {
        assertThat(rulesFiredOn(person, "v")).isEqualTo(expected);
    }

    @Test
    void theSecondBookingOfTheSameServiceOnTheSameDayIsADuplicateAndTheFirstStands() {
        ScreenedVisit first = visit("v1", "2025-10-01");
        ScreenedVisit second = new ScreenedVisit("v2", "P", BIN, "D-2", first.start().plusSeconds(3600), null, first.date(), "VISIT", null,
                List.of("A01", "B02"), false);
        PersonContext p = person("M", "1985-03-15", null, List.of(), first, second);
        assertThat(rulesFiredOn(p, "v1")).isEmpty();
        assertThat(rulesFiredOn(p, "v2")).containsExactly("DUPLICATE_SERVICE");
        assertThat(SCREEN.screenPerson(p).get(0).reason()).contains("A01").doesNotContain("B02");
    }

    static ScreenedVisit screening(String key, String date, String code) {
        return visit(key, date, "SCREENING", code, List.of("SCR-" + code), false, BIN);
    }

    /** The rules fired on each visit, in visit order ("-" for none). */
    static List<String> screened(String sex, String born, ScreenedVisit... visits) {
        PersonContext p = person(sex, born, null, List.of(), visits);
        List<String> out = new ArrayList<>();
        for (ScreenedVisit v : visits) {
            Set<String> fired = rulesFiredOn(p, v.visitKey());
            out.add(fired.isEmpty() ? "-" : String.join(" ", new java.util.TreeSet<>(fired)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0} on {1} then {2}: {3}")
    @org.junit.jupiter.params.provider.CsvSource({
            "BREAST,     2023-05-10, 2025-05-09, SCREENING_BEFORE_INTERVAL", // a day short of 2 years
            "BREAST,     2023-05-10, 2025-05-10, -",                         // exactly 2 years
            "BREAST,     2024-02-29, 2026-02-27, SCREENING_BEFORE_INTERVAL",
            "BREAST,     2024-02-29, 2026-02-28, -",                         // from a leap day: 28 February
            "CERVICAL,   2020-02-29, 2024-02-28, SCREENING_BEFORE_INTERVAL", // four years on is the 29th again
            "CERVICAL,   2020-02-29, 2024-02-29, -",
            "COLORECTAL, 2024-01-01, 2025-12-31, SCREENING_BEFORE_INTERVAL",
            "COLORECTAL, 2024-01-01, 2026-01-01, -",
            "CARDIO,     2025-01-10, 2025-06-10, -"})                        // no interval in DOMAIN.md
    void aScreeningBilledBeforeItsIntervalIsFlaggedAndTheFirstStands(String code, String first, String second, String fired) {
        assertThat(screened("F", "1970-01-01", screening("v1", first, code), screening("v2", second, code)))
                .containsExactly("-", fired);
    }

    @Test
    void aFlaggedScreeningDoesNotMoveTheClockSoTheGenuineOneAfterItStands() {
        assertThat(screened("F", "1970-01-01", screening("v1", "2022-03-01", "BREAST"), screening("v2", "2023-03-01", "BREAST"),
                screening("v3", "2024-03-01", "BREAST"), screening("v4", "2025-03-01", "BREAST")))
                .containsExactly("-", "SCREENING_BEFORE_INTERVAL", "-", "SCREENING_BEFORE_INTERVAL");
        // another programme and a plain visit in between change nothing
        assertThat(screened("F", "1970-01-01", screening("v1", "2024-03-01", "BREAST"), screening("v2", "2024-03-02", "CERVICAL"),
                visit("v3", "2024-03-03"))).containsExactly("-", "-", "-");
        PersonContext p = person("F", "1970-01-01", null, List.of(), screening("v1", "2024-03-01", "BREAST"),
                screening("v2", "2025-06-15", "BREAST"));
        assertThat(SCREEN.screenPerson(p)).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo(
                "BREAST screening on 2025-06-15, 1 y 3 m 14 d after the one of 2024-03-01; the programme (women 40–70, every 2 years)"
                        + " allows the next from 2026-03-01."));
    }

    @Test
    void theChildrensPreventiveExamIsYearlyAndForChildrenOnly() {
        // born on a leap day: a child until 28 February 2026 inclusive, 18 on 1 March
        assertThat(screened("F", "2008-02-29", screening("v1", "2025-02-28", "CHILD_PREVENTIVE"),
                screening("v2", "2026-02-27", "CHILD_PREVENTIVE"), screening("v3", "2026-02-28", "CHILD_PREVENTIVE")))
                .containsExactly("-", "SCREENING_BEFORE_INTERVAL", "-");
        assertThat(screened("F", "2008-02-29", screening("v1", "2026-03-01", "CHILD_PREVENTIVE")))
                .containsExactly("SCREENING_OUTSIDE_TARGET_GROUP");
        assertThat(screened("M", "2025-06-01", screening("v1", "2025-06-01", "CHILD_PREVENTIVE"),
                screening("v2", "2026-05-31", "CHILD_PREVENTIVE"), screening("v3", "2026-06-01", "CHILD_PREVENTIVE")))
                .containsExactly("-", "SCREENING_BEFORE_INTERVAL", "-");
    }

    @Test
    void streamingAPersonGivesTheSameIntervalFindingsAsCheckingEachVisit() {
        PersonContext p = person("F", "1970-01-01", null, List.of(), screening("v1", "2022-03-01", "BREAST"),
                screening("v2", "2023-03-01", "BREAST"), screening("v3", "2024-03-01", "BREAST"), screening("v4", "2024-04-01", "BREAST"));
        ScreeningIntervalRule rule = new ScreeningIntervalRule();
        List<String> oneByOne = p.visits().stream().map(v -> rule.check(v, p, SCREEN.policy()).isPresent() ? v.visitKey() : "-").toList();
        List<String> streamed = SCREEN.inOrder(p).stream()
                .map(s -> s.findings().stream().anyMatch(f -> f.ruleId().equals(ScreeningIntervalRule.ID)) ? s.visit().visitKey() : "-").toList();
        assertThat(streamed).isEqualTo(oneByOne).containsExactly("-", "v2", "-", "v4");
    }

    static DoctorDay day(int visits, int minutesApart, int nearMark) {
        Instant base = Instant.parse("2025-10-01T03:00:00Z");
        List<DoctorDay.Slot> slots = new ArrayList<>();
        for (int i = 0; i < visits; i++) {
            Instant s = base.plusSeconds(60L * minutesApart * i);
            slots.add(new DoctorDay.Slot("v" + i, s, s.plusSeconds(15 * 60), i < nearMark));
        }
        return new DoctorDay("D-1", LocalDate.of(2025, 10, 1), slots);
    }

    static Stream<Arguments> doctorDayCases() {
        return Stream.of(
                Arguments.of("24 visits 20 minutes apart are clean", day(24, 20, 0), Map.of()),
                Arguments.of("40 visits are at the cap, not above", day(40, 15, 0), Map.of()),
                Arguments.of("41 visits flag the whole day", day(41, 15, 0), Map.of("DOCTOR_DAILY_CAP", 41)),
                Arguments.of("visits 10 minutes apart with 15-minute slots overlap (all but the first)", day(5, 10, 0),
                        Map.of("DOCTOR_OVERLAPPING_SLOTS", 4)),
                Arguments.of("9 near-mark visits are below the burst threshold", day(20, 20, 9), Map.of()),
                Arguments.of("10 near-mark visits in a day are a burst", day(20, 20, 10), Map.of("BURST_BEFORE_12_MONTH_MARK", 10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("doctorDayCases")
    void doctorDayRules(String name, DoctorDay day, Map<String, Integer> expectedCounts) {
        Map<String, Long> counts = SCREEN.screenDoctorDay(day).stream().collect(Collectors.groupingBy(Finding::ruleId, Collectors.counting()));
        assertThat(counts).hasSameSizeAs(expectedCounts);
        expectedCounts.forEach((rule, n) -> assertThat(counts.get(rule)).as(rule).isEqualTo(n.longValue()));
    }

    @Test
    void aPatientUnseenFor11To12MonthsIsNearTheMark() {
        PersonContext p = person("M", "1985-03-15", null, List.of(), visit("old", "2024-10-15"), visit("near", "2025-10-01"),
                visit("soon", "2025-10-20"));
        assertThat(SCREEN.nearMarkVisits(p)).containsExactly("near");
        // never seen, attached 2015: the first visit is long past the mark, not "just before" it
        assertThat(SCREEN.nearMarkVisits(person("M", "1985-03-15", null, List.of(), visit("first", "2025-10-01")))).isEmpty();
    }

    static final CapitationPolicy POLICY = new CapitationPolicy("t", LocalDate.of(2025, 10, 1), new BigDecimal("1710"), Map.of(), Map.of(),
            CapitationPolicy.calibrationSexAgeTable(), new BigDecimal("0.8"), new BigDecimal("0.9"), CombinationPolicy.MULTIPLICATIVE,
            12, 12, true, Set.of("VISIT"), true);

    /** A death reported after the visits that followed it: those visits become flags, and the person is no longer paid. */
    @Test
    void aLateDeathTurnsLaterVisitsIntoFlags() {
        ScreenedVisit before = visit("before", "2025-10-01");
        ScreenedVisit after = visit("after", "2025-10-20");
        ScreenedVisit later = visit("later", "2025-11-05");
        assertThat(SCREEN.screenPerson(person("M", "1990-05-10", null, List.of(), before, after, later))).isEmpty();

        List<Finding> findings = SCREEN.screenPerson(person("M", "1990-05-10", "2025-10-10", List.of(), before, after, later));
        assertThat(findings).extracting(Finding::visitKey).containsExactly("after", "later");
        assertThat(findings).extracting(Finding::ruleId).containsOnly("VISIT_AFTER_DEATH");
        assertThat(findings.get(0).reason()).contains("2025-10-20").contains("2025-10-10");

        CapitationInput dead = new CapitationInput("P", BIN, null, LocalDate.of(2015, 1, 1), "M", LocalDate.of(1990, 5, 10),
                LocalDate.of(2025, 10, 10), true, LocalDate.of(2025, 10, 1), LocalDate.of(2025, 11, 5));
        assertThat(CapitationCalculator.line(dead, YearMonth.of(2025, 11), POLICY).amount()).isEqualByComparingTo("0.00");
    }

    /** A visit held by an open flag does not count; once a reviewer dismisses the flag it counts again. */
    @Test
    void aDismissedFlagRestoresTheVisit() {
        YearMonth nov = YearMonth.of(2025, 11);
        List<PersonHistory.Attachment> attached = List.of(new PersonHistory.Attachment(BIN, null, LocalDate.of(2015, 1, 1), null));
        PersonHistory held = new PersonHistory("P", "M", LocalDate.of(1990, 5, 10), null, attached, List.of(),
                List.of(new PersonHistory.Visit(LocalDate.of(2024, 6, 1), "VISIT", false), new PersonHistory.Visit(LocalDate.of(2025, 10, 20), "VISIT", true)));
        CapitationLine line = CapitationCalculator.line(held.inputFor(CapitationCalculator.billingDate(nov), Set.of("VISIT")).orElseThrow(), nov, POLICY);
        assertThat(line.amount()).isEqualByComparingTo("1026.00");
        assertThat(line.withheldByFraudFlags()).isEqualByComparingTo("256.50");

        PersonHistory dismissed = new PersonHistory("P", "M", LocalDate.of(1990, 5, 10), null, attached, List.of(),
                List.of(new PersonHistory.Visit(LocalDate.of(2024, 6, 1), "VISIT", false), new PersonHistory.Visit(LocalDate.of(2025, 10, 20), "VISIT", false)));
        CapitationLine restored = CapitationCalculator.line(dismissed.inputFor(CapitationCalculator.billingDate(nov), Set.of("VISIT")).orElseThrow(), nov, POLICY);
        assertThat(restored.amount()).isEqualByComparingTo("1282.50");
        assertThat(restored.withheldByFraudFlags()).isEqualByComparingTo("0.00");
    }

    // ---- across the identity graph (#17 item 4): each rule fires on its case and stays quiet on the near miss ----

    static PersonContext attachedTo(List<PersonHistory.Attachment> attachments, PersonContext.Evidence evidence, ScreenedVisit... visits) {
        return new PersonContext("P", "F", LocalDate.of(1980, 2, 2), null, attachments, List.of(), List.of(visits), evidence);
    }

    static PersonHistory.Attachment attachment(String bin, String from, String to) {
        return new PersonHistory.Attachment(bin, "ALMATY_CITY", LocalDate.parse(from), to == null ? null : LocalDate.parse(to));
    }

    @Test
    void aPolyclinicThatAttachesAPatientStillAttachedElsewhereIsFlaggedOnItsVisits() {
        ScreenedVisit atB = visit("b", "2025-10-01", "VISIT", null, List.of("A01"), false, "BIN-B");
        ScreenedVisit atA = visit("a", "2025-10-02", "VISIT", null, List.of("A01"), false, BIN);
        // the earlier polyclinic says it holds the patient until the end of 2026, past the day the other attached them
        PersonContext twice = attachedTo(List.of(attachment(BIN, "2024-01-01", "2026-12-31"), attachment("BIN-B", "2025-09-01", null)),
                PersonContext.Evidence.UNREAD, atB, atA);

        assertThat(rulesFiredOn(twice, "b")).contains(AttachedTwiceRule.ID);
        assertThat(rulesFiredOn(twice, "a")).as("the polyclinic that attached first").doesNotContain(AttachedTwiceRule.ID);
        assertThat(SCREEN.screenPerson(twice)).filteredOn(f -> f.ruleId().equals(AttachedTwiceRule.ID)).singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("BIN-B", "2025-09-01", BIN, "2024-01-01", "until 2026-12-31"));
        // a fixed-term attachment inside another polyclinic's open spell
        PersonContext term = attachedTo(List.of(attachment(BIN, "2024-01-01", null), attachment("BIN-B", "2025-09-01", "2026-08-31")),
                PersonContext.Evidence.UNREAD, atB);
        assertThat(rulesFiredOn(term, "b")).contains(AttachedTwiceRule.ID);

        // near miss: two open spells are a plain change of polyclinic (the later one ends the earlier)
        PersonContext changed = attachedTo(List.of(attachment(BIN, "2024-01-01", null), attachment("BIN-B", "2025-09-01", null)),
                PersonContext.Evidence.UNREAD, atB);
        assertThat(rulesFiredOn(changed, "b")).doesNotContain(AttachedTwiceRule.ID);

        // near miss: a move, sent as the old spell's closing record and the new spell
        PersonContext moved = attachedTo(List.of(attachment(BIN, "2024-01-01", null), attachment(BIN, "2024-01-01", "2025-08-31"),
                attachment("BIN-B", "2025-09-01", null)), PersonContext.Evidence.UNREAD, atB);
        assertThat(rulesFiredOn(moved, "b")).doesNotContain(AttachedTwiceRule.ID);
        // near miss: the earlier attachment ended before this visit's day
        PersonContext ended = attachedTo(List.of(attachment(BIN, "2024-01-01", "2025-09-30"), attachment("BIN-B", "2025-09-01", null)),
                PersonContext.Evidence.UNREAD, atB);
        assertThat(rulesFiredOn(ended, "b")).doesNotContain(AttachedTwiceRule.ID);
    }

    @Test
    void visitsToAPatientNoOtherRecordShowsAreAGhost() {
        ScreenedVisit v = visit("v", "2025-10-01");
        List<PersonHistory.Attachment> own = List.of(attachment(BIN, "2025-01-01", null));

        FraudScreen ghosts = new FraudScreen(FraudPolicy.defaults().withGhostPatients(true));
        java.util.function.BiFunction<PersonContext, String, Set<String>> fired = (p, key) -> ghosts.screenPerson(p).stream()
                .filter(f -> f.visitKey().equals(key)).map(Finding::ruleId).collect(Collectors.toSet());

        PersonContext ghost = attachedTo(own, new PersonContext.Evidence(false, Set.of(BIN)), v);
        assertThat(fired.apply(ghost, "v")).containsExactly(GhostPatientRule.ID);
        assertThat(ghosts.screenPerson(ghost).get(0).reason()).contains("no other record shows");
        assertThat(rulesFiredOn(ghost, "v")).as("off unless billing.fraud.ghost-patients").isEmpty();

        // near misses: an insurance status on record, a visit at another polyclinic, an attachment elsewhere, a hospital stay
        assertThat(fired.apply(attachedTo(own, new PersonContext.Evidence(true, Set.of(BIN)), v), "v")).isEmpty();
        assertThat(fired.apply(attachedTo(own, new PersonContext.Evidence(false, Set.of(BIN, "BIN-B")), v), "v")).isEmpty();
        assertThat(fired.apply(attachedTo(List.of(attachment(BIN, "2025-01-01", null), attachment("BIN-B", "2020-01-01", "2024-12-31")),
                new PersonContext.Evidence(false, Set.of(BIN)), v), "v")).isEmpty();
        Instant in = LocalDate.of(2024, 5, 1).atStartOfDay().toInstant(java.time.ZoneOffset.ofHours(5));
        assertThat(fired.apply(new PersonContext("P", "F", LocalDate.of(1980, 2, 2), null, own, List.of(new HospitalStay("HOSP", in, in.plusSeconds(86_400))),
                List.of(v), new PersonContext.Evidence(false, Set.of(BIN))), "v")).isEmpty();
    }

    @Test
    void aDoctorBusyAtOnePolyclinicWhileAVisitStartsAtAnotherIsFlaggedOnTheLaterVisit() {
        String doctor = "850315300019"; // a practitioner's IIN: the same doctor at every polyclinic
        Instant ten = LocalDate.of(2025, 10, 1).atTime(10, 0).toInstant(java.time.ZoneOffset.ofHours(5));
        var atA = new DoctorTwoPolyclinicsRule.Slot("a", BIN, ten, ten.plusSeconds(900));
        var atB = new DoctorTwoPolyclinicsRule.Slot("b", "BIN-B", ten.plusSeconds(300), ten.plusSeconds(1200));
        List<Finding> found = DoctorTwoPolyclinicsRule.check(doctor, LocalDate.of(2025, 10, 1), List.of(atB, atA), FraudPolicy.defaults());
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.visitKey()).isEqualTo("b");
            assertThat(f.ruleId()).isEqualTo(DoctorTwoPolyclinicsRule.ID);
            assertThat(f.reason()).contains("BIN-B", BIN);
        });
        assertThat(DoctorTwoPolyclinicsRule.isNational(doctor)).isTrue();

        // near misses: back to back at two polyclinics; an overlap within one polyclinic (DOCTOR_OVERLAPPING_SLOTS' case);
        // a provider's own doctor id names no one beyond its polyclinic
        var nextAtB = new DoctorTwoPolyclinicsRule.Slot("b", "BIN-B", ten.plusSeconds(900), ten.plusSeconds(1800));
        assertThat(DoctorTwoPolyclinicsRule.check(doctor, LocalDate.of(2025, 10, 1), List.of(atA, nextAtB), FraudPolicy.defaults())).isEmpty();
        var sameA = new DoctorTwoPolyclinicsRule.Slot("b", BIN, ten.plusSeconds(300), ten.plusSeconds(1200));
        assertThat(DoctorTwoPolyclinicsRule.check(doctor, LocalDate.of(2025, 10, 1), List.of(atA, sameA), FraudPolicy.defaults())).isEmpty();
        assertThat(DoctorTwoPolyclinicsRule.isNational("DR1")).isFalse();
        assertThat(DoctorTwoPolyclinicsRule.isNational("850315300018")).as("a bad check digit").isFalse();
    }

    @Test
    void aPersonAttachedTwiceOrAGhostPutsTheWholeMonthlyPaymentAtStake() {
        assertThat(FraudScreen.stakesWholePayment(AttachedTwiceRule.ID)).isTrue();
        assertThat(FraudScreen.stakesWholePayment(GhostPatientRule.ID)).isTrue();
        assertThat(FraudScreen.stakesWholePayment(DoctorTwoPolyclinicsRule.ID)).isFalse();
        assertThat(FraudScreen.stakesWholePayment(VisitAfterDeathRule.ID)).isFalse();
    }

    @Test
    void everyRuleHasADistinctId() {
        List<String> ids = new ArrayList<>(FraudScreen.personRuleIds());
        ids.addAll(FraudScreen.doctorDayRuleIds());
        ids.addAll(FraudScreen.crossPolyclinicRuleIds());
        assertThat(ids).doesNotHaveDuplicates().hasSize(12);
        assertThat(IntStream.range(0, ids.size())).isNotEmpty();
    }
}
