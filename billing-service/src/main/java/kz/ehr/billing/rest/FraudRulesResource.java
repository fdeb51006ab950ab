package kz.ehr.billing.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import kz.ehr.billing.fraud.AttachedTwiceRule;
import kz.ehr.billing.fraud.BurstBeforeMarkRule;
import kz.ehr.billing.fraud.DoctorDailyCapRule;
import kz.ehr.billing.fraud.DoctorTwoPolyclinicsRule;
import kz.ehr.billing.fraud.DuplicateServiceRule;
import kz.ehr.billing.fraud.FraudScreen;
import kz.ehr.billing.fraud.GhostPatientRule;
import kz.ehr.billing.fraud.NotAttachedWithoutReferralRule;
import kz.ehr.billing.fraud.OverlappingSlotsRule;
import kz.ehr.billing.fraud.ScreeningIntervalRule;
import kz.ehr.billing.fraud.ScreeningOutsideTargetGroupRule;
import kz.ehr.billing.fraud.VisitAfterDeathRule;
import kz.ehr.billing.fraud.VisitDuringHospitalStayRule;
import kz.ehr.security.Roles;

/**
 * The fraud monitor's rules as the monitor runs them ({@link FraudScreen}'s lists), so a client (the ops console's
 * filter) never keeps its own copy of the rule ids: each with what it screens and a one-line description.
 */
@Path("/api/v1/fraud/rules")
@Produces("application/json")
public class FraudRulesResource {
    /** PERSON: a person's visits; DOCTOR_DAY: a doctor's day at one polyclinic; CROSS_POLYCLINIC: a doctor's day everywhere. */
    public record Rule(String id, String scope, String description, boolean stakesWholePayment) {
    }

    /** One line per rule; the README's table says the details. */
    static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(VisitAfterDeathRule.ID, "visit dated after the person's date of death"),
            Map.entry(ScreeningOutsideTargetGroupRule.ID, "screening for a sex or age outside the programme's target group"),
            Map.entry(DuplicateServiceRule.ID, "same person, service, date and provider as an earlier visit"),
            Map.entry(VisitDuringHospitalStayRule.ID, "visit (not telemedicine) while the person was admitted to another facility"),
            Map.entry(NotAttachedWithoutReferralRule.ID, "visit at a polyclinic the person is not attached to, without a referral"),
            Map.entry(ScreeningIntervalRule.ID, "screening before the programme's interval since the previous one had passed"),
            Map.entry(AttachedTwiceRule.ID, "visit by a polyclinic whose attachment overlaps another polyclinic's (identity graph)"),
            Map.entry(GhostPatientRule.ID, "visit to a person no other record shows: no insurance, stay, death or other polyclinic"),
            Map.entry(DoctorDailyCapRule.ID, "a doctor's visits in one day above the daily cap"),
            Map.entry(OverlappingSlotsRule.ID, "a visit starting before the same doctor's previous visit ended"),
            Map.entry(BurstBeforeMarkRule.ID, "many visits by one doctor in a day to patients unseen for almost 12 months"),
            Map.entry(DoctorTwoPolyclinicsRule.ID, "a doctor (national id) still busy with a visit at another polyclinic"));

    static List<Rule> rules() {
        List<Rule> out = new ArrayList<>();
        FraudScreen.personRuleIds().forEach(id -> out.add(rule(id, "PERSON")));
        FraudScreen.doctorDayRuleIds().forEach(id -> out.add(rule(id, "DOCTOR_DAY")));
        FraudScreen.crossPolyclinicRuleIds().forEach(id -> out.add(rule(id, "CROSS_POLYCLINIC")));
        return List.copyOf(out);
    }

    private static Rule rule(String id, String scope) {
        String description = DESCRIPTIONS.get(id);
        if (description == null) {
            throw new IllegalStateException("fraud rule " + id + " has no description in FraudRulesResource");
        }
        return new Rule(id, scope, description, FraudScreen.stakesWholePayment(id));
    }

    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.OPS, Roles.AUDITOR})
    public List<Rule> list() {
        return rules();
    }
}
