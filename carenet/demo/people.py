"""Who the synthetic assistants are: nationalities, their names and languages.

The shares roughly follow the domestic workers registered by INPS in Piemonte (Romania
first, then Ukraine, Moldova, Peru, Morocco, Albania, the Philippines, and Italians).
Names are common given names and surnames of each country, written as they appear on
Italian documents (no diacritics that Italian registries usually drop).
"""

from __future__ import annotations

from dataclasses import dataclass


def _split(names: str) -> tuple[str, ...]:
    """A tuple from a comma-separated list (names may contain spaces)."""
    return tuple(name.strip() for name in names.split(","))


@dataclass(frozen=True)
class Nationality:
    """One nationality: its share, names, native languages and the languages it adds."""

    code: str  # ISO 3166-1 alpha-2
    share: float
    is_eu: bool
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    native: tuple[str, ...]  # language codes spoken natively
    # Other languages often known, with the probability and the usual level.
    extra: tuple[tuple[str, float, str], ...] = ()


NATIONALITIES: tuple[Nationality, ...] = (
    Nationality(
        "RO",
        0.30,
        True,
        _split(
            "Elena, Maria, Ioana, Mihaela, Daniela, Gabriela, Ana, Florentina, "
            "Cristina, Georgeta, Viorica, Rodica, Adriana, Simona, Luminita, Mariana, "
            "Carmen, Camelia, Nicoleta, Alina"
        ),
        _split("Ion, Gheorghe, Vasile, Constantin, Mihai, Florin, Adrian, Marius"),
        _split(
            "Popescu, Ionescu, Popa, Pop, Radu, Dumitru, Stan, Stoica, Gheorghe, "
            "Matei, Ciobanu, Rusu, Munteanu, Constantin, Lazar, Florea, Barbu, "
            "Moldovan, Dobre, Marin, Ilie, Tudor, Neagu, Sandu"
        ),
        ("ro",),
        (("en", 0.15, "A2"), ("fr", 0.08, "A2")),
    ),
    Nationality(
        "UA",
        0.14,
        False,
        _split(
            "Olena, Natalia, Tetiana, Svitlana, Iryna, Oksana, Halyna, Liudmyla, "
            "Nadiia, Larysa, Valentyna, Mariia, Hanna, Oleksandra, Yuliia"
        ),
        _split("Oleksandr, Serhii, Volodymyr, Mykola, Andrii, Vasyl"),
        _split(
            "Melnyk, Shevchenko, Bondarenko, Kovalenko, Boiko, Tkachenko, Kravchenko, "
            "Kovalchuk, Koval, Oliinyk, Shevchuk, Polishchuk, Lysenko, Marchenko, "
            "Moroz, Savchenko, Rudenko, Petrenko"
        ),
        ("uk",),
        (("ru", 0.8, "C1"), ("pl", 0.05, "A2"), ("en", 0.1, "A2")),
    ),
    Nationality(
        "MD",
        0.09,
        False,
        _split(
            "Ludmila, Svetlana, Tatiana, Valentina, Galina, Aurelia, Natalia, Olga, "
            "Elena, Veronica, Lilia, Angela, Silvia, Larisa"
        ),
        _split("Ion, Vasile, Sergiu, Andrei, Nicolae, Victor"),
        _split(
            "Rusu, Ceban, Ciobanu, Turcan, Lungu, Cojocaru, Munteanu, Rotari, Melnic, "
            "Sirbu, Bivol, Graur, Guzun, Popa, Lupu"
        ),
        ("ro",),
        (("ru", 0.9, "C1"),),
    ),
    Nationality(
        "PE",
        0.08,
        False,
        _split(
            "Rosa, Maria, Carmen, Juana, Gladys, Elizabeth, Milagros, Rocio, "
            "Patricia, Marisol, Nelly, Yolanda, Flor, Luz"
        ),
        _split("Jose, Luis, Carlos, Juan, Jorge, Cesar"),
        _split(
            "Quispe, Flores, Sanchez, Rodriguez, Garcia, Huaman, Mamani, Rojas, "
            "Ramirez, Torres, Chavez, Vargas, Mendoza, Castillo, Gutierrez"
        ),
        ("es",),
        (("en", 0.1, "A2"),),
    ),
    Nationality(
        "MA",
        0.08,
        False,
        _split(
            "Fatima, Khadija, Naima, Malika, Aicha, Rachida, Samira, Latifa, Saida, "
            "Nadia, Zahra, Hanane, Karima, Souad"
        ),
        _split("Mohamed, Ahmed, Youssef, Rachid, Abdelaziz, Mustapha"),
        _split(
            "El Amrani, Benali, Bennani, El Idrissi, Alaoui, Ouazzani, Tazi, Berrada, "
            "El Fassi, Lahlou, Chraibi, Haddad, Ziani, Bouzid"
        ),
        ("ar",),
        (("fr", 0.7, "B1"),),
    ),
    Nationality(
        "AL",
        0.06,
        False,
        _split(
            "Mirela, Elona, Valbona, Lindita, Drita, Arjana, Entela, Mimoza, Blerina, "
            "Teuta, Rozeta, Marjeta"
        ),
        _split("Arben, Gentian, Ilir, Fatmir, Besnik, Artan"),
        _split(
            "Hoxha, Shehu, Leka, Gjoka, Dervishi, Kola, Cela, Meta, Basha, Marku, "
            "Prifti, Duka, Lika, Bregu"
        ),
        ("sq",),
        (("en", 0.1, "A2"),),
    ),
    Nationality(
        "PH",
        0.05,
        False,
        _split(
            "Maria Cristina, Rowena, Marites, Jocelyn, Lorna, Rosalie, Analyn, "
            "Marilou, Evangeline, Grace, Joy, Divina"
        ),
        _split("Jose, Ramon, Roberto, Eduardo, Ferdinand, Rodel"),
        _split(
            "Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, "
            "Villanueva, Ramos, Aquino, Dela Cruz, Castillo, Navarro"
        ),
        ("tl",),
        (("en", 0.9, "C1"),),
    ),
    Nationality(
        "EC",
        0.03,
        False,
        _split("Rosa, Blanca, Mercedes, Gloria, Narcisa, Fanny, Lorena, Jessica"),
        _split("Luis, Segundo, Washington, Galo"),
        _split("Zambrano, Cedeno, Vera, Mora, Andrade, Intriago, Macias, Loor, Alvarado, Ponce"),
        ("es",),
    ),
    Nationality(
        "PL",
        0.02,
        True,
        _split("Anna, Katarzyna, Malgorzata, Agnieszka, Barbara, Ewa, Krystyna, Elzbieta"),
        _split("Piotr, Krzysztof, Andrzej, Tomasz"),
        _split(
            "Nowak, Kowalska, Wisniewska, Wojcik, Kowalczyk, Kaminska, Lewandowska, "
            "Zielinska, Szymanska, Wozniak"
        ),
        ("pl",),
        (("en", 0.3, "B1"),),
    ),
    Nationality(
        "IT",
        0.15,
        True,
        _split(
            "Maria, Anna, Giuseppina, Rosa, Antonella, Patrizia, Paola, Daniela, "
            "Laura, Roberta, Silvia, Monica, Barbara, Sabrina, Cinzia, Manuela, "
            "Elisa, Francesca, Federica, Chiara"
        ),
        _split("Giuseppe, Marco, Andrea, Luca, Stefano, Roberto, Paolo, Massimo"),
        _split(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, "
            "Marino, Greco, Bruno, Gallo, Conti, Costa, Giordano, Rinaldi, Lombardi, "
            "Moretti, Barbero, Gribaudo, Bertola, Operti, Chiesa, Cravero, Allasia, "
            "Bonino"
        ),
        ("it",),
        (("en", 0.2, "B1"), ("fr", 0.15, "B1")),
    ),
)

# Italian levels of foreign assistants: most have a working B1/B2.
ITALIAN_LEVELS = _split("A2, B1, B2, C1")
ITALIAN_LEVEL_WEIGHTS = (0.12, 0.38, 0.35, 0.15)

# For the families: Italian names of the contact person and of the older person cared for.
CONTACT_FIRST_NAMES = _split(
    "Alessandro, Andrea, Marco, Paolo, Luca, Stefano, Roberto, Davide, Laura, Paola, Elena, "
    "Francesca, Simona, Cristina, Silvia, Chiara, Giulia, Valentina, Federica, Alberto"
)
RECIPIENT_FEMALE_NAMES = _split(
    "Giuseppina, Maria, Anna, Rosa, Teresa, Carla, Franca, Luigia, Margherita, Angela, "
    "Lucia, Bruna, Rita, Ada, Iolanda, Pierina"
)
RECIPIENT_MALE_NAMES = _split(
    "Giovanni, Giuseppe, Luigi, Mario, Franco, Carlo, Pietro, Bruno, Renzo, Aldo, Sergio, Gianni"
)
ITALIAN_SURNAMES = NATIONALITIES[-1].surnames
STREETS = _split(
    "Via Roma, Via Garibaldi, Via Mazzini, Via Cavour, Corso Vittorio Emanuele II, Via "
    "Matteotti, Via XX Settembre, Via Gramsci, Piazza Vittorio Veneto, Via Po, Via Nizza, "
    "Corso Francia, Via Torino, Via San Francesco d'Assisi, Via Cuneo, Via Asti, Corso "
    "Giovanni Lanza, Via Monte Rosa"
)
