package kz.ehr.simulator.fraud;

/**
 * How much fake reporting to inject.
 *
 * @param visitAfterDeath      share of people who died in the window with 1–3 services booked after death
 * @param wrongSexScreening    share of men aged 30–70 with a cervical or breast screening
 * @param duplicate            share of genuine encounters booked a second time (same person, service, day, provider)
 * @param visitDuringStay      share of hospital stays of 3+ days with an outpatient visit in the middle
 * @param overloadedPolyclinic share of polyclinics with one doctor-day far above the daily cap (at least one overall)
 * @param dailyCap             the fraud monitor's cap per doctor per day; an overloaded day has cap + 20…80 visits
 * @param doubleAttachment     share of people alive near the window's end whom a second polyclinic attaches (and visits)
 *                             while their attachment elsewhere is still in force
 * @param ghostPolyclinic      share of polyclinics that make up 1–2 patients (at least one overall) and book visits to them
 * @param doctorTwoPolyclinics share of people with a visit by a doctor of another polyclinic while that doctor is busy there
 */
public record FraudRates(double visitAfterDeath, double wrongSexScreening, double duplicate, double visitDuringStay,
                         double overloadedPolyclinic, int dailyCap, double doubleAttachment, double ghostPolyclinic,
                         double doctorTwoPolyclinics) {
    public static FraudRates defaults() {
        return new FraudRates(0.25, 0.01, 0.01, 0.15, 0.05, 40, 0.005, 0.3, 0.004);
    }

    public FraudRates scaled(double f) {
        return new FraudRates(Math.min(1, visitAfterDeath * f), Math.min(1, wrongSexScreening * f), Math.min(1, duplicate * f),
                Math.min(1, visitDuringStay * f), Math.min(1, overloadedPolyclinic * f), dailyCap, Math.min(1, doubleAttachment * f),
                Math.min(1, ghostPolyclinic * f), Math.min(1, doctorTwoPolyclinics * f));
    }
}
