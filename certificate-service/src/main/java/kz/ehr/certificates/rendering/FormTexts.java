package kz.ehr.certificates.rendering;

import java.util.Map;

import kz.ehr.certificates.eligibility.CertificateType;

/**
 * The words printed on the documents, Kazakh first (the state language), Russian second, English third where a
 * foreign reader needs it. Plain data; the verification page reads the form names from here too
 * ({@code GET /verify/forms.json}).
 */
public final class FormTexts {
    private FormTexts() {
    }

    /** A text in the three languages. */
    public record Text(String kk, String ru, String en) {
        /** "kk / ru" on one line. */
        public String both() {
            return kk.equals(ru) ? kk : kk + " / " + ru;
        }
    }

    /** A form's printed name and, for numbered forms, the form line ("Медициналық құжаттама нысаны № 063/у"). */
    public record Form(String code, Text title, Text purpose) {
    }

    static final Text MINISTRY = new Text("Қазақстан Республикасы Денсаулық сақтау министрлігі",
            "Министерство здравоохранения Республики Казахстан", "Ministry of Health of the Republic of Kazakhstan");

    static final Map<CertificateType, Form> FORMS = Map.of(
            CertificateType.F075, new Form("075/у",
                    new Text("Медициналық анықтама (дәрігерлік кәсіби-консультациялық қорытынды)",
                            "Медицинская справка (врачебное профессионально-консультативное заключение)",
                            "Medical certificate (pre-employment or study examination)"),
                    new Text("жұмысқа немесе оқуға", "для работы или учёбы", "for work or study")),
            CertificateType.F083, new Form("083/у",
                    new Text("Көлік құралын басқаруға жарамдылығы туралы медициналық анықтама",
                            "Медицинская справка о допуске к управлению транспортным средством",
                            "Medical certificate of fitness to drive"),
                    new Text("көлік құралын басқаруға", "к управлению транспортным средством", "to drive")),
            CertificateType.F086, new Form("086/у",
                    new Text("Талапкердің медициналық анықтамасы", "Медицинская справка абитуриента",
                            "Medical certificate of a college or university applicant"),
                    new Text("оқу орнына түсу үшін", "для поступления в учебное заведение", "for admission to study")),
            CertificateType.F026, new Form("026/у",
                    new Text("Баланың медициналық картасы", "Медицинская карта ребёнка",
                            "Child's medical card (kindergarten, school)"),
                    new Text("балабақшаға немесе мектепке", "для детского сада или школы", "for kindergarten or school")),
            CertificateType.F063, new Form("063/у",
                    new Text("Профилактикалық егулер картасы", "Карта профилактических прививок", "Immunization record"),
                    null),
            CertificateType.PSYCHIATRIC_CLEARANCE, new Form(null,
                    new Text("Психиатриялық есепте тұрмайтыны туралы анықтама",
                            "Справка о том, что не состоит на психиатрическом учёте",
                            "Certificate: not on the psychiatric dispensary register"),
                    null),
            CertificateType.NARCOLOGICAL_CLEARANCE, new Form(null,
                    new Text("Наркологиялық есепте тұрмайтыны туралы анықтама",
                            "Справка о том, что не состоит на наркологическом учёте",
                            "Certificate: not on the narcological dispensary register"),
                    null),
            CertificateType.TB_CLEARANCE, new Form(null,
                    new Text("Туберкулезге қарсы диспансер есебінде тұрмайтыны туралы анықтама",
                            "Справка о том, что не состоит на учёте в противотуберкулёзном диспансере",
                            "Certificate: not on the TB dispensary register"),
                    null),
            CertificateType.F052, new Form("052-2/у",
                    new Text("Баланың денсаулық паспорты", "Паспорт здоровья ребёнка", "Child's health passport"),
                    null));

    public static Form form(CertificateType type) {
        return FORMS.get(type);
    }

    static Text formLine(Form form) {
        return form.code() == null
                ? new Text("Анықтама", "Справка", "Certificate")
                : new Text("Медициналық құжаттама нысаны № " + form.code(), "Форма медицинской документации № " + form.code(),
                "Medical record form No. " + form.code().replace('у', 'u'));
    }

    static final Text NUMBER = new Text("Анықтама нөмірі", "Номер справки", "Certificate No.");
    static final Text PERSON = new Text("Тегі, аты, әкесінің аты", "Фамилия, имя, отчество", "Full name");
    static final Text IIN = new Text("ЖСН", "ИИН", "IIN");
    static final Text BIRTH_DATE = new Text("Туған күні", "Дата рождения", "Date of birth");
    static final Text ISSUER = new Text("Берген ұйым", "Выдавшая организация", "Issued by");
    static final Text BIN = new Text("БСН", "БИН", "BIN");
    static final Text EXAM_FACILITY = new Text("Қорытынды берген медициналық ұйым (БСН)",
            "Медицинская организация, выдавшая заключение (БИН)", "Examining facility (BIN)");
    static final Text DOCTOR = new Text("Дәрігер (код)", "Врач (код)", "Doctor (id)");
    static final Text ISSUED = new Text("Берілген күні", "Дата выдачи", "Date of issue");
    static final Text VALID_UNTIL = new Text("Жарамдылық мерзімі (қоса алғанда)", "Действительна по (включительно)", "Valid until");
    static final Text CONCLUSION = new Text("Қорытынды", "Заключение", "Conclusion");
    static final Text PURPOSE = new Text("Мақсаты", "Цель", "Purpose");
    static final Text EXAM_SECTION = new Text("Медициналық қорытынды", "Медицинское заключение", "Medical conclusion");
    static final Text REGISTERS_SECTION = new Text("Диспансерлік есептер тексерілді", "Проверены диспансерные учёты",
            "Dispensary registers checked");
    static final Text REGISTER = new Text("Есеп", "Учёт", "Register");
    static final Text STATUS = new Text("Мәртебесі", "Статус", "Status");
    static final Text CHECKED_ON = new Text("Тексерілген күні", "Дата проверки", "Checked on");
    static final Text NOT_REGISTERED = new Text("Есепте тұрмайды", "На учёте не состоит", "Not registered");
    static final Text IMMUNIZATIONS_SECTION = new Text("Профилактикалық егулер", "Профилактические прививки", "Immunizations");
    static final Text VACCINE = new Text("Вакцина", "Вакцина", "Vaccine");
    static final Text DOSE = new Text("Доза", "Доза", "Dose");
    static final Text VACCINATION_DATE = new Text("Егу күні", "Дата прививки", "Date");
    static final Text NO = new Text("№", "№", "No.");
    static final Text GENERAL_SECTION = new Text("Жалпы мәліметтер", "Общие сведения", "General");
    static final Text POLYCLINIC = new Text("Бекітілген емхана (БСН)", "Поликлиника прикрепления (БИН)", "Attached polyclinic (BIN)");
    static final Text BLOOD_GROUP = new Text("Қан тобы, резус", "Группа крови, резус", "Blood group");
    static final Text ALLERGIES = new Text("Аллергия", "Аллергия", "Allergies");
    static final Text DISEASES_SECTION = new Text("Ауырған аурулары (АХЖ-10)", "Перенесённые заболевания (МКБ-10)",
            "Diseases (ICD-10)");
    static final Text DIAGNOSIS = new Text("АХЖ-10 коды", "Код МКБ-10", "ICD-10 code");
    static final Text HOSPITAL_SECTION = new Text("Ауруханаға жатқызу", "Госпитализации", "Hospitalizations");
    static final Text ADMITTED = new Text("Түскен күні", "Дата поступления", "Admitted");
    static final Text DISCHARGED = new Text("Шыққан күні", "Дата выписки", "Discharged");
    static final Text CHECKUPS_SECTION = new Text("Профилактикалық тексерулер", "Профилактические осмотры", "Preventive check-ups");
    static final Text CHECKUP_DATE = new Text("Тексеру күні", "Дата осмотра", "Date");
    static final Text NONE = new Text("Жазба жоқ", "Записей нет", "None recorded");
    static final Text VERIFY = new Text("Түпнұсқалығын тексеру: QR-кодты телефонмен сканерлеңіз немесе бетті ашыңыз",
            "Проверка подлинности: отсканируйте QR-код телефоном или откройте страницу", "Verify: scan the QR code or open");
    static final Text SIGNED = new Text("Құжатқа электрондық цифрлық қолтаңба қойылған", "Документ подписан электронной цифровой подписью",
            "Digitally signed");
    static final Text KEY = new Text("кілт", "ключ", "key");

    static Text partsNote(int n) {
        return new Text("QR-код " + n + " бөлікке бөлінген: барлығын сканерлеңіз", "QR-код разделён на " + n + " части: отсканируйте все",
                "The QR code is split into " + n + " parts: scan them all");
    }

    static Text conclusion(String code) {
        return switch (code == null ? "" : code) {
            case "FIT" -> new Text("Жарамды", "Годен", "Fit");
            case "FIT_WITH_RESTRICTIONS" -> new Text("Шектеулермен жарамды", "Годен с ограничениями", "Fit with restrictions");
            case "UNFIT" -> new Text("Жарамсыз", "Не годен", "Unfit");
            case "NOT_REGISTERED" -> NOT_REGISTERED;
            case "VACCINATIONS" -> new Text("Егулер тізімі төменде", "Перечень прививок ниже", "Immunizations listed below");
            case "HEALTH_PASSPORT" -> new Text("Денсаулық паспорты", "Паспорт здоровья", "Health passport");
            default -> new Text(code, code, code);
        };
    }

    static Text register(String register) {
        return switch (register) {
            case "PSYCHIATRIC" -> new Text("Психиатриялық", "Психиатрический", "Psychiatric");
            case "NARCOLOGICAL" -> new Text("Наркологиялық", "Наркологический", "Narcological");
            case "TB" -> new Text("Туберкулезге қарсы", "Противотуберкулёзный", "Tuberculosis");
            default -> new Text(register, register, register);
        };
    }
}
