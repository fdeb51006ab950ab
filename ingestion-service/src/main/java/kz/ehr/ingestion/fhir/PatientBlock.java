package kz.ehr.ingestion.fhir;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;

import com.fasterxml.jackson.databind.node.ObjectNode;

import kz.ehr.ingestion.fhir.BundleReader.Entry;

/**
 * The {@code patient} block of a provider record, from a Patient entry: {@code localId} from the identifier typed MR
 * (v2-0203), else the resource id; {@code iin} from the identifier with the IIN system; names from the official
 * HumanName (else the first), the patronymic being the second given name; gender male/female as M/F.
 */
final class PatientBlock {
    private PatientBlock() {
    }

    /** The patient block every record carries, from the Patient entry (see the README for each field's source). */
    static void fill(MappedRecord rec, Entry e, Patient p) {
        ObjectNode block = rec.json.putObject("patient");
        String at = e.path();
        rec.source("patient", at);
        String localId = p.getIdElement().getIdPart();
        String localPath = at + ".id";
        for (int i = 0; i < p.getIdentifier().size(); i++) {
            Identifier id = p.getIdentifier().get(i);
            if (BundleMapper.hasCoding(id.getType(), FhirCodes.IDENTIFIER_TYPE, "MR")) {
                localId = id.getValue();
                localPath = at + ".identifier[" + i + "].value";
                break;
            }
        }
        put(block, "localId", localId);
        rec.source("patient.localId", localPath);
        rec.source("patient.iin", at + ".identifier");
        for (int i = 0; i < p.getIdentifier().size(); i++) {
            if (FhirCodes.IIN.equals(p.getIdentifier().get(i).getSystem())) {
                put(block, "iin", p.getIdentifier().get(i).getValue());
                rec.source("patient.iin", at + ".identifier[" + i + "].value");
                break;
            }
        }
        int n = officialName(p);
        if (n >= 0) {
            HumanName name = p.getName().get(n);
            put(block, "lastName", name.getFamily());
            rec.source("patient.lastName", at + ".name[" + n + "].family");
            if (name.getGiven().size() > 0) {
                put(block, "firstName", name.getGiven().get(0).getValue());
                rec.source("patient.firstName", at + ".name[" + n + "].given[0]");
            }
            if (name.getGiven().size() > 1) {
                // the patronymic: the second given name, as Russian-language FHIR profiles carry it
                put(block, "middleName", name.getGiven().get(1).getValue());
                rec.source("patient.middleName", at + ".name[" + n + "].given[1]");
            }
        }
        if (p.hasBirthDateElement()) {
            put(block, "birthDate", p.getBirthDateElement().getValueAsString());
            rec.source("patient.birthDate", at + ".birthDate");
        }
        if (p.hasGender()) {
            String sex = switch (p.getGender()) {
                case MALE -> "M";
                case FEMALE -> "F";
                case OTHER -> "OTHER"; // the JSON path knows M and F only: its validator answers INVALID_ENUM
                default -> null; // unknown: as if not sent
            };
            put(block, "sex", sex);
            rec.source("patient.sex", at + ".gender");
        }
        for (int i = 0; i < p.getTelecom().size(); i++) {
            if (p.getTelecom().get(i).getSystem() == ContactPoint.ContactPointSystem.PHONE) {
                put(block, "phone", p.getTelecom().get(i).getValue());
                rec.source("patient.phone", at + ".telecom[" + i + "].value");
                break;
            }
        }
        if (p.hasAddress()) {
            Address a = p.getAddressFirstRep();
            String text = a.hasText() ? a.getText() : joined(a);
            put(block, "address", text);
            rec.source("patient.address", at + ".address[0]");
        }
    }

    /**
     * A newborn's {@code motherIin} written as the patient index's FHIR read writes it: a {@code contact} whose
     * relationship is the mother, with a patient-relatedPerson extension naming her by IIN (a logical reference);
     * or, for a mother the index does not know by name, a contained {@code RelatedPerson} whose relationship is the
     * mother and whose identifier is her IIN.
     */
    static void motherFromPatient(MappedRecord rec, Entry e, Patient p) {
        for (int r = 0; r < p.getContained().size(); r++) {
            if (p.getContained().get(r) instanceof RelatedPerson rp && rp.getRelationship().stream().anyMatch(FhirCodes::isMother)) {
                for (int i = 0; i < rp.getIdentifier().size(); i++) {
                    if (FhirCodes.IIN.equals(rp.getIdentifier().get(i).getSystem()) && rp.getIdentifier().get(i).hasValue()) {
                        ((ObjectNode) rec.json.get("patient")).put("motherIin", rp.getIdentifier().get(i).getValue());
                        rec.source("patient.motherIin", e.path() + ".contained[" + r + "].identifier[" + i + "].value");
                        return;
                    }
                }
            }
        }
        for (int c = 0; c < p.getContact().size(); c++) {
            Patient.ContactComponent contact = p.getContact().get(c);
            if (contact.getRelationship().stream().noneMatch(FhirCodes::isMother)) {
                continue;
            }
            for (int x = 0; x < contact.getExtension().size(); x++) {
                var ext = contact.getExtension().get(x);
                if (FhirCodes.RELATED_PERSON_EXTENSION.equals(ext.getUrl()) && ext.getValue() instanceof Reference ref
                        && FhirCodes.IIN.equals(ref.getIdentifier().getSystem()) && ref.getIdentifier().hasValue()) {
                    ((ObjectNode) rec.json.get("patient")).put("motherIin", ref.getIdentifier().getValue());
                    rec.source("patient.motherIin", e.path() + ".contact[" + c + "].extension[" + x
                            + "].valueReference.identifier.value");
                    return;
                }
            }
        }
    }

    private static int officialName(Patient p) {
        for (int i = 0; i < p.getName().size(); i++) {
            if (p.getName().get(i).getUse() == HumanName.NameUse.OFFICIAL) {
                return i;
            }
        }
        return p.hasName() ? 0 : -1;
    }

    private static String joined(Address a) {
        List<String> parts = new ArrayList<>();
        a.getLine().forEach(l -> parts.add(l.getValue()));
        for (String s : new String[]{a.getCity(), a.getDistrict(), a.getState(), a.getPostalCode()}) {
            if (s != null && !s.isBlank()) {
                parts.add(s);
            }
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static void put(ObjectNode block, String field, String value) {
        if (value != null) {
            block.put(field, value);
        }
    }
}
