package kz.ehr.simulator.population;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Kazakh and Russian names in Cyrillic with the morphology the MPI has to undo: feminine surname endings,
 * Russian-style patronymics (-ович/-овна, -евич/-евна) and Kazakh-style ones (-ұлы/-қызы).
 */
public final class Names {
    public enum Ethnicity { KAZAKH, RUSSIAN }

    static final List<String> KAZAKH_MALE = List.of("Ерлан", "Данияр", "Асқар", "Нұрлан", "Бауыржан", "Ерболат", "Серік",
            "Қайрат", "Марат", "Ержан", "Жандос", "Айдос", "Арман", "Нұрсұлтан", "Дәурен", "Ғалым", "Бекзат", "Әділет",
            "Темірлан", "Алихан", "Ернұр", "Жасұлан", "Мұрат", "Талғат", "Болат", "Жанболат", "Еркебұлан", "Ақжол",
            "Санжар", "Рустем", "Дастан", "Ілияс", "Айбек", "Нұржан", "Сұлтан", "Тимур", "Ерасыл", "Батыржан",
            "Қанат", "Азамат", "Мейірлан", "Өмірзақ", "Төлеген", "Үсен", "Сәкен", "Бағдат", "Жомарт", "Абылай");
    static final List<String> KAZAKH_FEMALE = List.of("Айгүл", "Динара", "Гүлнар", "Әсем", "Жанар", "Айгерім", "Мадина",
            "Сәуле", "Гүлмира", "Ақмарал", "Аружан", "Жансая", "Меруерт", "Назерке", "Дана", "Әйгерім", "Томирис",
            "Айым", "Гүлжан", "Салтанат", "Ләззат", "Бибігүл", "Қарлығаш", "Жұлдыз", "Ботагөз", "Арайлым", "Інжу",
            "Мөлдір", "Үміт", "Шынар", "Раушан", "Айнұр", "Нұргүл", "Ақерке", "Балауса", "Сабина", "Камила", "Алия");
    static final List<String> KAZAKH_SURNAME_ROOTS = List.of("Ахмет", "Серік", "Нұрлан", "Жақсылық", "Омар", "Сейіт",
            "Қасым", "Тоқтар", "Байжан", "Әбдірахман", "Ибрагим", "Смағұл", "Жұмабек", "Мұхамедия", "Есен", "Оспан",
            "Бекмұхамбет", "Кенжебай", "Төлеуба", "Ысқақ", "Сұлтанбек", "Иман", "Мамырбай", "Құдайберген", "Әлімжан",
            "Сапарбай", "Нұрғали", "Абдулла", "Жүсіп", "Рахым", "Бай", "Қали", "Даулет", "Мұқан", "Ерғали", "Шайхы");
    /** Kazakh surnames without a Russian suffix keep one form for men and women. */
    static final List<String> KAZAKH_PLAIN_SURNAMES = List.of("Сейтқали", "Нұрмағамбет", "Әбілқайыр", "Жұмағали",
            "Бекқожа", "Тілеуқабыл");
    static final List<String> RUSSIAN_MALE = List.of("Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Иван",
            "Николай", "Владимир", "Михаил", "Евгений", "Игорь", "Олег", "Виктор", "Юрий", "Павел", "Максим", "Артём",
            "Денис", "Роман", "Константин", "Вадим", "Анатолий", "Геннадий", "Станислав", "Никита", "Илья");
    static final List<String> RUSSIAN_FEMALE = List.of("Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана",
            "Анна", "Мария", "Екатерина", "Юлия", "Людмила", "Галина", "Валентина", "Надежда", "Анастасия", "Дарья",
            "Виктория", "Ксения", "Любовь", "Полина", "Алёна", "Вера", "Марина", "Оксана");
    static final List<String> RUSSIAN_SURNAMES = List.of("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров",
            "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
            "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев",
            "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов",
            "Ковальский", "Белов", "Комаров", "Ильин", "Гусев", "Титов", "Кудрявцев", "Баранов", "Куликов", "Чернов");
    static final List<String> STREETS = List.of("Абая", "Кабанбай батыра", "Сейфуллина", "Толе би", "Жибек жолы",
            "Достык", "Республики", "Назарбаева", "Пушкина", "Гагарина", "Ауэзова", "Желтоксан", "Байтурсынова",
            "Момышулы", "Сатпаева", "Мира", "Ленина", "Торайгырова", "Шевченко", "Богенбай батыра", "Кенесары");

    private Names() {
    }

    public static String firstName(Ethnicity e, Sex sex, RandomGenerator r) {
        List<String> pool = e == Ethnicity.KAZAKH
                ? (sex == Sex.M ? KAZAKH_MALE : KAZAKH_FEMALE)
                : (sex == Sex.M ? RUSSIAN_MALE : RUSSIAN_FEMALE);
        return pool.get(r.nextInt(pool.size()));
    }

    /** A family surname in its masculine form. */
    public static String familySurname(Ethnicity e, RandomGenerator r) {
        if (e == Ethnicity.RUSSIAN) {
            return RUSSIAN_SURNAMES.get(r.nextInt(RUSSIAN_SURNAMES.size()));
        }
        if (r.nextInt(20) == 0) {
            return KAZAKH_PLAIN_SURNAMES.get(r.nextInt(KAZAKH_PLAIN_SURNAMES.size()));
        }
        String root = KAZAKH_SURNAME_ROOTS.get(r.nextInt(KAZAKH_SURNAME_ROOTS.size()));
        return root + surnameSuffix(root);
    }

    private static String surnameSuffix(String root) {
        char last = Character.toLowerCase(root.charAt(root.length() - 1));
        return "аеиіоуұүыэюяә".indexOf(last) >= 0 ? "ев" : "ов";
    }

    /** The surname as a person of this sex carries it: Ахметов/Ахметова, Ковальский/Ковальская, Сейтқали unchanged. */
    public static String surnameFor(String masculine, Sex sex) {
        if (sex == Sex.M) {
            return masculine;
        }
        if (masculine.endsWith("ский")) {
            return masculine.substring(0, masculine.length() - 4) + "ская";
        }
        if (masculine.endsWith("ов") || masculine.endsWith("ев") || masculine.endsWith("ёв") || masculine.endsWith("ин")
                || masculine.endsWith("ын")) {
            return masculine + "а";
        }
        return masculine;
    }

    /** The masculine form of a surname, the inverse of {@link #surnameFor}. */
    public static String masculineSurname(String surname) {
        if (surname.endsWith("ская")) {
            return surname.substring(0, surname.length() - 4) + "ский";
        }
        if (surname.endsWith("ова") || surname.endsWith("ева") || surname.endsWith("ёва") || surname.endsWith("ина")
                || surname.endsWith("ына")) {
            return surname.substring(0, surname.length() - 1);
        }
        return surname;
    }

    /** Russian-style patronymic from the father's first name (Сергей → Сергеевич/Сергеевна). */
    public static String patronymic(String fatherName, Sex sex) {
        boolean m = sex == Sex.M;
        switch (fatherName) {
            case "Никита": return m ? "Никитич" : "Никитична";
            case "Илья": return m ? "Ильич" : "Ильинична";
            case "Павел": return m ? "Павлович" : "Павловна";
            case "Лев": return m ? "Львович" : "Львовна";
            default: break;
        }
        if (fatherName.endsWith("й") || fatherName.endsWith("ь")) {
            String stem = fatherName.substring(0, fatherName.length() - 1);
            return stem + (m ? "евич" : "евна");
        }
        return fatherName + (m ? "ович" : "овна");
    }

    /** Kazakh-style patronymic, written as one word: Серікұлы / Серікқызы. */
    public static String kazakhPatronymic(String fatherName, Sex sex) {
        return fatherName + (sex == Sex.M ? "ұлы" : "қызы");
    }
}
