package kz.ehr.simulator.population;

import java.util.List;

/**
 * Kazakhstan's 17 regions and 3 cities of republican significance with their approximate 2024 population
 * (thousands) and share of Russian-speaking families (high in the north, low in the south).
 */
public enum Region {
    ASTANA("г. Астана", 1_420, 0.15, List.of("Астана")),
    ALMATY_CITY("г. Алматы", 2_230, 0.25, List.of("Алматы")),
    SHYMKENT("г. Шымкент", 1_230, 0.05, List.of("Шымкент")),
    ABAI("Абайская область", 605, 0.20, List.of("Семей", "Аягоз", "Курчатов")),
    AKMOLA("Акмолинская область", 786, 0.40, List.of("Кокшетау", "Степногорск", "Щучинск")),
    AKTOBE("Актюбинская область", 930, 0.10, List.of("Актобе", "Хромтау", "Кандыагаш")),
    ALMATY_REGION("Алматинская область", 1_520, 0.12, List.of("Қонаев", "Есик", "Талгар")),
    ATYRAU("Атырауская область", 700, 0.04, List.of("Атырау", "Кульсары")),
    EAST_KAZAKHSTAN("Восточно-Казахстанская область", 720, 0.45, List.of("Усть-Каменогорск", "Риддер", "Алтай")),
    ZHAMBYL("Жамбылская область", 1_220, 0.08, List.of("Тараз", "Шу", "Жанатас")),
    ZHETISU("Область Жетісу", 700, 0.15, List.of("Талдыкорган", "Текели", "Жаркент")),
    WEST_KAZAKHSTAN("Западно-Казахстанская область", 690, 0.20, List.of("Уральск", "Аксай")),
    KARAGANDA("Карагандинская область", 1_130, 0.40, List.of("Караганда", "Темиртау", "Шахтинск")),
    KOSTANAY("Костанайская область", 830, 0.45, List.of("Костанай", "Рудный", "Лисаковск")),
    KYZYLORDA("Кызылординская область", 830, 0.02, List.of("Кызылорда", "Байконыр", "Аральск")),
    MANGYSTAU("Мангистауская область", 780, 0.05, List.of("Актау", "Жанаозен")),
    PAVLODAR("Павлодарская область", 750, 0.45, List.of("Павлодар", "Экибастуз", "Аксу")),
    NORTH_KAZAKHSTAN("Северо-Казахстанская область", 530, 0.55, List.of("Петропавловск", "Булаево")),
    TURKESTAN("Туркестанская область", 2_140, 0.02, List.of("Туркестан", "Кентау", "Сарыагаш")),
    ULYTAU("Улытауская область", 220, 0.15, List.of("Жезказган", "Сатпаев"));

    public final String displayName;
    public final int populationThousands;
    public final double russianShare;
    public final List<String> cities;

    Region(String displayName, int populationThousands, double russianShare, List<String> cities) {
        this.displayName = displayName;
        this.populationThousands = populationThousands;
        this.russianShare = russianShare;
        this.cities = cities;
    }

    public static int totalThousands() {
        int t = 0;
        for (Region r : values()) {
            t += r.populationThousands;
        }
        return t;
    }

    /** A region drawn with probability proportional to its population. */
    public static Region draw(java.util.random.RandomGenerator random) {
        int x = random.nextInt(totalThousands());
        for (Region r : values()) {
            x -= r.populationThousands;
            if (x < 0) {
                return r;
            }
        }
        return TURKESTAN;
    }
}
