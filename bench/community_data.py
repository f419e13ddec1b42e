"""A generated community index: municipalities and shared initiatives and restrictions with
realistic texts and *planted groups* whose ground truth is returned, for the detection and
search benchmarks and for the detection tests (small sizes).

    from bench.community_data import generate       # or `import community_data` from bench/
    truth = generate(municipalities=1000, initiatives=50, restrictions=10, seed=1)

Only public-schema rows are written: `Municipality` rows (bulk-created with a `schema_name`
but no schema: nothing routes to them) and `IndexItem` rows, loaded with PostgreSQL COPY so
that 550,000 rows take a minute or two, not an hour.

What is planted. Every municipal *aim* (drinking water for rural areas, a sewage plant,
recycling, rural roads...) is written in several paraphrases (synonyms, different word
order, accents sometimes dropped, plurals, ~15 % in English). A planted initiative is one of
those aims; its ground-truth label is the aim. A planted restriction describes one of ~20
shared *problems* (procurement declared void, budget transfer delayed, contractor
abandoned the work, rainy season...) mentioning its initiative's object in passing; its
label is the problem. The rest are *noise*: one-off initiatives and problems built from a
large vocabulary of unrelated subjects, labelled "" (they should mostly stay ungrouped).

Which fraction of items carries SDG targets or confirmed platform themes is random but
seeded, as are countries, regions and populations (log-normal), so two runs with the same
seed write the same data."""

from __future__ import annotations

import io
import json
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# --- Geography ---------------------------------------------------------------------------

COUNTRIES: dict[str, list[str]] = {
    "CO": ["Antioquia", "Boyacá", "Cauca", "Nariño", "Santander", "Tolima"],
    "PE": ["Cusco", "Puno", "Piura", "Junín", "Cajamarca"],
    "EC": ["Azuay", "Loja", "Manabí", "Pichincha"],
    "GT": ["Quiché", "Huehuetenango", "Alta Verapaz", "Petén"],
    "HN": ["Olancho", "Lempira", "Copán", "Choluteca"],
    "BO": ["La Paz", "Cochabamba", "Potosí", "Chuquisaca"],
    "MX": ["Oaxaca", "Chiapas", "Puebla", "Guerrero", "Veracruz"],
    "DO": ["Azua", "Monte Plata", "San Juan", "Barahona"],
    "PY": ["Caaguazú", "Itapúa", "Concepción"],
    "SV": ["Chalatenango", "Morazán", "La Unión"],
    "CR": ["Guanacaste", "Limón", "Puntarenas"],
    "PA": ["Veraguas", "Chiriquí", "Darién"],
    "JM": ["Clarendon", "St. Elizabeth", "Portland"],
    "TT": ["Tobago", "Siparia", "Penal-Debe"],
}
TIME_ZONES = {
    "CO": "America/Bogota", "PE": "America/Lima", "EC": "America/Guayaquil", "GT": "America/Guatemala",
    "HN": "America/Tegucigalpa", "BO": "America/La_Paz", "MX": "America/Mexico_City",
    "DO": "America/Santo_Domingo", "PY": "America/Asuncion", "SV": "America/El_Salvador",
    "CR": "America/Costa_Rica", "PA": "America/Panama", "JM": "America/Jamaica", "TT": "America/Port_of_Spain",
}  # fmt: skip
ENGLISH_COUNTRIES = {"JM", "TT"}
PLACES = [
    "San José", "Santa Rosa", "La Esperanza", "El Progreso", "San Isidro", "Las Palmas", "El Carmen", "Buenavista",
    "La Victoria", "Santa Ana", "San Pedro", "Villa Nueva", "El Rosario", "La Unión", "San Antonio",
    "Los Almendros", "El Porvenir", "Santa Cruz", "Monte Alegre", "La Florida", "San Rafael", "El Paraíso",
    "Las Mercedes", "San Miguel", "Altamira", "Bellavista",
]  # fmt: skip

# --- Platform themes ---------------------------------------------------------------------

THEMES = [
    "Agua y saneamiento", "Residuos sólidos", "Infraestructura vial", "Educación", "Salud",
    "Desarrollo económico local", "Turismo", "Espacio público y ambiente", "Ordenamiento territorial",
    "Finanzas municipales", "Gobierno digital", "Género e inclusión", "Juventud", "Gestión del riesgo",
    "Seguridad ciudadana", "Cultura y deporte",
]  # fmt: skip

# --- Aims (initiatives) ------------------------------------------------------------------
# key: (theme, sdg targets, es cores, es details, en cores, en details). Cores name the aim
# (one goes in the title, another in the text); details are supporting sentences. "|"
# separates variants.


@dataclass(frozen=True)
class Aim:
    key: str
    theme: str
    targets: tuple[str, ...]
    es_core: tuple[str, ...]
    es_detail: tuple[str, ...]
    en_core: tuple[str, ...]
    en_detail: tuple[str, ...]
    obj_es: str  # how a restriction refers to it ("el acueducto rural")
    obj_en: str


def _aim(key: str, theme: str, targets: str, es_core: str, es_detail: str, en_core: str, en_detail: str,
         obj_es: str, obj_en: str) -> Aim:  # fmt: skip
    def split(s: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in s.split("|") if p.strip())

    return Aim(
        key, theme, split(targets), split(es_core), split(es_detail), split(en_core), split(en_detail), obj_es, obj_en
    )


AIMS: list[Aim] = [
    _aim(
        "agua_rural",
        "Agua y saneamiento",
        "6.1|6.4",
        "Construcción del acueducto rural|Acueducto veredal para las comunidades rurales|Agua potable para las veredas"
        "|Ampliación de la red de agua potable en la zona rural|Sistema de abastecimiento de agua potable rural",
        "Se instalarán tanques de almacenamiento y redes de conducción.|Las familias campesinas tendrán agua segura "
        "todo el año.|Incluye la captación en la quebrada y una planta potabilizadora compacta.|Se conformará una "
        "junta administradora del acueducto.",
        "Rural drinking water supply system|Building a rural water supply network|Safe drinking water for rural "
        "villages",
        "Storage tanks and pipelines will be installed.|Farming families will have safe water all year.|A water "
        "committee will manage the rural system.",
        "el acueducto rural",
        "the rural water system",
    ),
    _aim(
        "alcantarillado",
        "Agua y saneamiento",
        "6.2|6.3",
        "Construcción del alcantarillado sanitario|Red de alcantarillado y planta de tratamiento de aguas residuales"
        "|Saneamiento básico: alcantarillado para los barrios|Tratamiento de aguas servidas del casco urbano",
        "Se eliminarán las descargas de aguas negras al río.|Se conectarán las viviendas a la red de colectores."
        "|La planta de tratamiento reducirá la contaminación de la quebrada.|Se construirán pozos de inspección y "
        "colectores principales.",
        "Sewerage network and wastewater treatment plant|Building the town's sewer system|Wastewater treatment for "
        "the urban area",
        "Raw sewage discharges into the river will stop.|Households will be connected to the sewer mains.",
        "el alcantarillado",
        "the sewer network",
    ),
    _aim(
        "reciclaje",
        "Residuos sólidos",
        "11.6|12.5",
        "Programa de reciclaje y separación en la fuente|Gestión integral de residuos sólidos con reciclaje"
        "|Separación de basuras y reciclaje en los hogares|Recuperación de materiales reciclables con recicladores",
        "Se entregarán recipientes de colores para separar los residuos.|Los recicladores de oficio serán "
        "formalizados en una asociación.|Se instalará un centro de acopio de material reciclable.|Campañas "
        "educativas sobre separación de residuos en los barrios.",
        "Recycling and waste separation at source|Household waste sorting and recycling programme",
        "Colour-coded bins will be handed out for waste sorting.|Informal waste pickers will join a recycling "
        "cooperative.",
        "el programa de reciclaje",
        "the recycling programme",
    ),
    _aim(
        "relleno",
        "Residuos sólidos",
        "11.6|12.4",
        "Cierre del botadero a cielo abierto y nuevo relleno sanitario|Construcción de relleno sanitario regional"
        "|Relleno sanitario para la disposición final de residuos",
        "El botadero actual contamina las fuentes de agua.|La celda del relleno tendrá impermeabilización y manejo "
        "de lixiviados.|Varios municipios vecinos compartirán el relleno sanitario.",
        "Closing the open dump and building a sanitary landfill|Regional sanitary landfill",
        "The current open dump pollutes water sources.|The landfill cell will have a liner and leachate treatment.",
        "el relleno sanitario",
        "the landfill",
    ),
    _aim(
        "vias_rurales",
        "Infraestructura vial",
        "9.1|11.2",
        "Mejoramiento de vías terciarias|Rehabilitación de caminos rurales|Mantenimiento de la red vial rural"
        "|Placa huella en caminos veredales|Arreglo de las carreteras rurales",
        "Los campesinos podrán sacar sus cosechas al mercado.|Se construirán cunetas, alcantarillas y obras de "
        "drenaje.|Se usará el banco de maquinaria municipal.|Se pavimentarán los tramos críticos con placa huella.",
        "Rural road improvement|Upgrading rural feeder roads|Maintenance of the rural road network",
        "Farmers will be able to take their crops to market.|Ditches and culverts will be built.",
        "la vía rural",
        "the rural road",
    ),
    _aim(
        "alumbrado",
        "Espacio público y ambiente",
        "7.3|11.7",
        "Modernización del alumbrado público con luminarias LED|Cambio de luminarias a tecnología LED"
        "|Alumbrado público eficiente en calles y parques|Iluminación LED para las vías urbanas",
        "Se reemplazarán las lámparas de sodio por luminarias LED.|El ahorro de energía pagará la inversión."
        "|Se instalará telegestión del alumbrado.|Calles mejor iluminadas aumentan la seguridad nocturna.",
        "LED street lighting upgrade|Replacing street lights with LED luminaires|Energy-efficient public lighting",
        "Sodium lamps will be replaced with LED luminaires.|Energy savings will pay back the investment.",
        "el alumbrado público",
        "the street lighting",
    ),
    _aim(
        "escuelas",
        "Educación",
        "4.1|4.a",
        "Mejoramiento de la infraestructura de las escuelas rurales|Rehabilitación de sedes educativas"
        "|Reparación de aulas y baterías sanitarias escolares|Adecuación de escuelas públicas",
        "Se repararán techos, pisos y baterías sanitarias.|Los estudiantes tendrán aulas seguras y dignas."
        "|Se dotará de mobiliario escolar y restaurante escolar.|Se construirán nuevas aulas en las escuelas rurales.",
        "Rural school infrastructure improvement|Repairing school classrooms and toilets|Upgrading public schools",
        "Roofs, floors and toilets will be repaired.|Students will have safe classrooms.",
        "la obra de la escuela",
        "the school works",
    ),
    _aim(
        "salud",
        "Salud",
        "3.8|3.1",
        "Dotación y apertura del puesto de salud|Construcción del centro de salud rural|Fortalecimiento de los "
        "puestos de salud en las comunidades|Atención primaria en salud con puestos de salud rurales",
        "Se contratará personal médico y de enfermería.|El puesto de salud contará con equipos básicos y "
        "medicamentos.|Brigadas de salud visitarán las comunidades alejadas.|Atención materno infantil y control "
        "prenatal.",
        "Equipping and opening the rural health post|Building a primary health care centre",
        "Doctors and nurses will be hired.|The health post will have basic equipment and medicines.",
        "el puesto de salud",
        "the health post",
    ),
    _aim(
        "mercado",
        "Desarrollo económico local",
        "8.3|2.3",
        "Remodelación de la plaza de mercado municipal|Construcción del nuevo mercado público|Mejoramiento del "
        "mercado municipal y sus puestos de venta",
        "Los vendedores tendrán puestos con agua, luz y refrigeración.|Se ordenará la venta informal en las calles."
        "|Los productores campesinos venderán directamente sin intermediarios.",
        "Renovation of the municipal market|Building a new public market hall",
        "Vendors will have stalls with water, power and cold storage.|Small farmers will sell directly.",
        "la plaza de mercado",
        "the market",
    ),
    _aim(
        "turismo",
        "Turismo",
        "8.9|12.b",
        "Promoción del turismo comunitario y ecoturismo|Ruta turística para atraer visitantes|Desarrollo del "
        "turismo rural y de naturaleza|Fortalecimiento del sector turístico local",
        "Se señalizarán senderos y miradores.|Guías locales serán capacitados en atención al turista.|Se creará "
        "una marca turística del municipio.|Posadas rurales ofrecerán hospedaje a los visitantes.",
        "Community-based tourism and ecotourism promotion|A tourist route to attract visitors",
        "Trails and viewpoints will be signposted.|Local guides will be trained to host visitors.",
        "la ruta turística",
        "the tourist route",
    ),
    _aim(
        "parques",
        "Espacio público y ambiente",
        "11.7|3.4",
        "Recuperación de parques y zonas verdes|Construcción de parques recreativos en los barrios|Mejoramiento del "
        "espacio público: parques, plazas y zonas verdes",
        "Se instalarán juegos infantiles y gimnasios al aire libre.|Se sembrarán árboles nativos en las zonas "
        "verdes.|Los vecinos participarán en el cuidado de los parques.",
        "Restoring parks and green areas|Building neighbourhood parks and playgrounds",
        "Playgrounds and outdoor gyms will be installed.|Native trees will be planted in green areas.",
        "el parque",
        "the park",
    ),
    _aim(
        "titulacion",
        "Ordenamiento territorial",
        "1.4|11.1",
        "Titulación de predios y legalización de la tenencia de la tierra|Formalización de la propiedad rural"
        "|Entrega de títulos de propiedad a familias poseedoras|Legalización de predios urbanos y rurales",
        "Las familias tendrán escrituras de sus lotes.|Se actualizará el catastro con levantamientos topográficos."
        "|La seguridad jurídica de la tierra permite acceder a créditos.",
        "Land titling and tenure regularisation|Issuing property titles to families",
        "Families will receive deeds to their plots.|The cadastre will be updated with new surveys.",
        "la titulación de predios",
        "the land titling",
    ),
    _aim(
        "recaudo",
        "Finanzas municipales",
        "17.1|16.6",
        "Aumento del recaudo del impuesto predial|Fortalecimiento de las finanzas municipales y la cobranza de "
        "tributos|Actualización catastral para mejorar el recaudo|Modernización del cobro de impuestos municipales",
        "Se ofrecerán descuentos por pronto pago del impuesto predial.|Se hará cobro persuasivo y coactivo a los "
        "deudores morosos.|La actualización del catastro aumentará la base gravable.",
        "Increasing property tax collection|Strengthening municipal revenue and tax collection",
        "Early payment discounts on property tax.|Overdue taxpayers will be pursued.",
        "el recaudo predial",
        "the tax collection",
    ),
    _aim(
        "gobierno_digital",
        "Gobierno digital",
        "16.6|9.c",
        "Trámites en línea y ventanilla única digital|Gobierno digital: servicios municipales por internet"
        "|Digitalización de trámites y pagos en línea|Portal ciudadano para hacer trámites sin filas",
        "Los ciudadanos podrán pagar impuestos y pedir certificados por internet.|Se instalarán puntos de acceso "
        "wifi gratuito.|Se capacitará a los funcionarios en herramientas digitales.",
        "Online services and a digital one-stop shop|Digital government: paying and applying online",
        "Citizens will pay taxes and request certificates online.|Free wifi hotspots will be installed.",
        "la plataforma de trámites en línea",
        "the online services platform",
    ),
    _aim(
        "mujeres",
        "Género e inclusión",
        "5.5|5.a|8.5",
        "Empoderamiento económico de las mujeres|Emprendimientos de mujeres rurales con capital semilla"
        "|Autonomía económica de las mujeres emprendedoras|Apoyo a negocios liderados por mujeres",
        "Se entregará capital semilla a grupos de mujeres.|Capacitación en contabilidad, ventas y "
        "comercialización.|Se crearán redes de mujeres productoras.|Las madres cabeza de hogar tendrán prioridad.",
        "Women's economic empowerment|Seed capital for women-led businesses|Supporting rural women entrepreneurs",
        "Women's groups will receive seed capital.|Training in bookkeeping, sales and marketing.",
        "el programa de mujeres emprendedoras",
        "the women's enterprise programme",
    ),
    _aim(
        "empleo_juvenil",
        "Juventud",
        "8.6|4.4",
        "Empleo juvenil y formación para el trabajo|Primer empleo para jóvenes|Capacitación laboral y "
        "emprendimiento juvenil|Oportunidades de trabajo para la juventud",
        "Los jóvenes harán pasantías en empresas locales.|Cursos técnicos en convenio con el instituto de "
        "formación.|Se apoyarán emprendimientos de jóvenes con asesoría.",
        "Youth employment and job training|First job programme for young people",
        "Young people will do internships in local firms.|Technical courses with the training institute.",
        "el programa de empleo juvenil",
        "the youth employment programme",
    ),
    _aim(
        "inundaciones",
        "Gestión del riesgo",
        "13.1|11.5",
        "Gestión del riesgo de inundaciones y obras de mitigación|Control de inundaciones con muros de contención"
        "|Prevención de desastres por crecientes del río|Sistema de alerta temprana ante inundaciones",
        "Se dragará el cauce y se construirán diques.|Se reubicarán familias en zonas de alto riesgo.|Se "
        "instalarán sensores de nivel del río y sirenas.|Adaptación al cambio climático en las zonas ribereñas.",
        "Flood risk management and mitigation works|Flood early warning system|Climate adaptation against floods",
        "The river bed will be dredged and dykes built.|River level sensors and sirens will be installed.",
        "las obras de mitigación",
        "the flood defences",
    ),
    _aim(
        "vivienda",
        "Ordenamiento territorial",
        "11.1",
        "Mejoramiento de vivienda para familias vulnerables|Programa de vivienda de interés social|Subsidios para "
        "mejorar las viviendas: pisos, techos y baños",
        "Se cambiarán pisos de tierra por pisos de cemento.|Las familias aportarán mano de obra.|Se construirán "
        "unidades sanitarias en las viviendas rurales.",
        "Housing improvement for vulnerable families|Social housing programme",
        "Dirt floors will be replaced with concrete.|Families will contribute labour.",
        "el programa de vivienda",
        "the housing programme",
    ),
    _aim(
        "seguridad",
        "Seguridad ciudadana",
        "16.1",
        "Seguridad ciudadana con cámaras de videovigilancia|Plan de convivencia y seguridad ciudadana"
        "|Instalación de cámaras de seguridad y frentes de seguridad vecinal",
        "Se conectarán las cámaras a un centro de monitoreo.|La policía y los vecinos formarán frentes de "
        "seguridad.|Se reducirán los hurtos en el centro del municipio.",
        "Citizen security with CCTV cameras|Community safety plan",
        "Cameras will be linked to a monitoring centre.|Police and neighbours will form watch groups.",
        "el sistema de videovigilancia",
        "the CCTV system",
    ),
    _aim(
        "deporte",
        "Cultura y deporte",
        "3.4|11.7",
        "Construcción de polideportivo y canchas|Escenarios deportivos para la comunidad|Cubierta de la cancha "
        "múltiple y escuelas deportivas",
        "Niños y jóvenes practicarán fútbol, baloncesto y voleibol.|Se formarán escuelas deportivas con "
        "entrenadores.|La cancha tendrá cubierta, graderías e iluminación.",
        "Building a sports centre and courts|Sports facilities for the community",
        "Children and young people will play football, basketball and volleyball.",
        "el polideportivo",
        "the sports centre",
    ),
    _aim(
        "cultura",
        "Cultura y deporte",
        "11.4|4.7",
        "Casa de la cultura y escuela de música|Fortalecimiento de la casa de la cultura|Formación artística: "
        "música, danza y teatro",
        "Se comprarán instrumentos para la banda municipal.|Talleres de danza y teatro para niños.|Se rescatarán "
        "las tradiciones y fiestas patronales.",
        "A house of culture and music school|Arts education: music, dance and theatre",
        "Instruments will be bought for the municipal band.|Dance and theatre workshops for children.",
        "la casa de la cultura",
        "the culture centre",
    ),
    _aim(
        "agricultura",
        "Desarrollo económico local",
        "2.3|2.4",
        "Asistencia técnica agropecuaria a pequeños productores|Fortalecimiento de la producción agrícola "
        "campesina|Huertas y cultivos con buenas prácticas agrícolas",
        "Técnicos visitarán las fincas para asesorar a los productores.|Se entregarán semillas mejoradas y "
        "abonos orgánicos.|Se crearán asociaciones de productores de café y cacao.",
        "Agricultural extension for smallholder farmers|Supporting small-scale farming",
        "Extension workers will visit farms.|Improved seeds and organic fertiliser will be handed out.",
        "el programa agropecuario",
        "the farming programme",
    ),
    _aim(
        "reforestacion",
        "Espacio público y ambiente",
        "15.1|15.2|6.6",
        "Reforestación de cuencas y protección de nacimientos de agua|Siembra de árboles en la cuenca alta"
        "|Conservación de bosques y fuentes hídricas",
        "Se comprarán predios de interés hídrico.|Viveros comunitarios producirán plántulas nativas.|Se "
        "aislarán los nacimientos con cercas.",
        "Reforestation of watersheds and protection of springs|Forest and water source conservation",
        "Community nurseries will grow native seedlings.|Springs will be fenced off.",
        "la reforestación",
        "the reforestation",
    ),
    _aim(
        "transporte",
        "Infraestructura vial",
        "11.2",
        "Terminal de transporte y rutas de buses|Mejoramiento del transporte público intermunicipal"
        "|Construcción de la terminal de pasajeros",
        "Se ordenarán las rutas y paraderos de buses.|La terminal tendrá taquillas, baños y sala de espera.",
        "Bus terminal and public transport routes|Improving intercity public transport",
        "Bus routes and stops will be reorganised.|The terminal will have ticket offices and waiting rooms.",
        "la terminal de transporte",
        "the bus terminal",
    ),
    _aim(
        "adulto_mayor",
        "Género e inclusión",
        "1.3|10.2",
        "Atención integral al adulto mayor|Centro día para personas mayores|Protección de los adultos mayores "
        "en situación de abandono",
        "Los adultos mayores recibirán alimentación y atención médica.|Actividades recreativas y de terapia "
        "ocupacional.",
        "Comprehensive care for older people|A day centre for the elderly",
        "Older people will receive meals and health care.",
        "el centro del adulto mayor",
        "the elderly day centre",
    ),
    _aim(
        "energia_solar",
        "Desarrollo económico local",
        "7.1|7.2",
        "Energía solar para comunidades sin electricidad|Paneles solares en viviendas rurales aisladas"
        "|Electrificación rural con energía fotovoltaica",
        "Se instalarán sistemas fotovoltaicos con baterías.|Las familias dejarán de usar velas y diésel.",
        "Solar power for off-grid communities|Solar panels for remote rural homes",
        "Photovoltaic systems with batteries will be installed.|Families will stop using candles and diesel.",
        "los paneles solares",
        "the solar panels",
    ),
    _aim(
        "nutricion",
        "Salud",
        "2.2|2.1",
        "Lucha contra la desnutrición infantil|Alimentación escolar y nutrición de la primera infancia"
        "|Complementos nutricionales para niños menores de cinco años",
        "Se hará seguimiento de peso y talla a los niños.|Las madres recibirán orientación sobre lactancia.",
        "Fighting child malnutrition|Early childhood nutrition and school meals",
        "Children's weight and height will be monitored.|Mothers will get breastfeeding advice.",
        "el programa de nutrición",
        "the nutrition programme",
    ),
    _aim(
        "catastro",
        "Ordenamiento territorial",
        "11.3|15.9",
        "Actualización del plan de ordenamiento territorial|Revisión del esquema de ordenamiento territorial"
        "|Nuevo plan de ordenamiento y usos del suelo",
        "Se definirán las zonas de expansión urbana y de protección.|Habrá talleres de participación con la comunidad.",
        "Updating the land use plan|Review of the municipal zoning plan",
        "Urban expansion and protected zones will be defined.",
        "el plan de ordenamiento",
        "the land use plan",
    ),
    _aim(
        "conectividad",
        "Gobierno digital",
        "9.c|17.8",
        "Internet gratuito en zonas rurales|Conectividad digital para escuelas y veredas|Puntos de wifi público "
        "en plazas y centros poblados",
        "Se instalarán antenas y zonas wifi.|Los estudiantes rurales podrán hacer tareas en línea.",
        "Free internet in rural areas|Digital connectivity for schools and villages",
        "Antennas and wifi zones will be installed.|Rural students will do homework online.",
        "la red de conectividad",
        "the connectivity network",
    ),
    _aim(
        "bomberos",
        "Gestión del riesgo",
        "11.5|13.1",
        "Fortalecimiento del cuerpo de bomberos|Dotación de máquina de bomberos y equipos de rescate"
        "|Prevención y atención de incendios forestales",
        "Se comprará un carro de bomberos.|Los voluntarios serán entrenados en rescate.",
        "Strengthening the fire brigade|A fire engine and rescue equipment",
        "A fire engine will be bought.|Volunteers will be trained in rescue.",
        "la dotación de bomberos",
        "the fire brigade equipment",
    ),
]

# --- Problems (restrictions) -------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    key: str
    type: str  # BuiltInAroType value
    es: tuple[str, ...]
    en: tuple[str, ...]
    es_detail: tuple[str, ...]


def _problem(key: str, type_: str, es: str, en: str, es_detail: str) -> Problem:
    def split(s: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in s.split("|") if p.strip())

    return Problem(key, type_, split(es), split(en), split(es_detail))


PROBLEMS: list[Problem] = [
    _problem(
        "licitacion_desierta",
        "technical_administrative",
        "La licitación de {obj} se declaró desierta|Proceso de contratación desierto para {obj}|No se presentaron "
        "oferentes en la licitación de {obj}|Licitación desierta: ningún proponente cumplió los requisitos para "
        "{obj}",
        "The tender for {obj} was declared void|No bidders came forward in the tender for {obj}",
        "Hay que abrir un nuevo proceso de contratación.|Se deberá ajustar el presupuesto oficial del pliego.",
    ),
    _problem(
        "transferencia_retrasada",
        "financial",
        "Retraso en la transferencia de recursos del gobierno nacional para {obj}|Los fondos de cofinanciación "
        "para {obj} no han sido girados|El desembolso del ministerio para {obj} está atrasado|Demora en el giro "
        "de la transferencia presupuestaria de {obj}",
        "The national budget transfer for {obj} is delayed|Co-financing funds for {obj} have not been disbursed",
        "Sin el desembolso no se puede pagar al contratista.|El ministerio no ha confirmado la fecha del giro.",
    ),
    _problem(
        "contratista_abandono",
        "legal",
        "El contratista abandonó la obra de {obj}|Abandono de la obra por parte del contratista en {obj}|La "
        "empresa contratista suspendió y dejó tirados los trabajos de {obj}",
        "The contractor abandoned the works on {obj}|Contractor walked off the job at {obj}",
        "Se inició el proceso de incumplimiento y se hará efectiva la póliza.|La interventoría reportó el abandono.",
    ),
    _problem(
        "lluvias",
        "other",
        "La temporada de lluvias impidió avanzar en {obj}|Las lluvias intensas paralizaron los trabajos de "
        "{obj}|Invierno fuerte: obras de {obj} suspendidas por lluvias|El aguacero y el clima lluvioso "
        "retrasaron {obj}",
        "The rainy season stopped progress on {obj}|Heavy rains halted work on {obj}",
        "Se reprogramará el cronograma para la temporada seca.|Los accesos quedaron intransitables.",
    ),
    _problem(
        "predio_disputa",
        "legal",
        "Conflicto por la propiedad del predio donde se construye {obj}|Disputa sobre la tenencia del lote de "
        "{obj}|El terreno de {obj} tiene problemas de titularidad|Un particular reclama la propiedad del predio "
        "de {obj}",
        "A land ownership dispute over the site of {obj}|The plot for {obj} has unclear title",
        "Se requiere sanear la titularidad antes de continuar.|La oficina jurídica revisa las escrituras.",
    ),
    _problem(
        "licencia_ambiental",
        "legal",
        "Falta la licencia ambiental para {obj}|La autoridad ambiental no ha otorgado el permiso de {obj}"
        "|Pendiente el permiso ambiental y la concesión de aguas para {obj}|Sin licencia ambiental no se puede "
        "iniciar {obj}",
        "The environmental licence for {obj} is missing|Environmental permit for {obj} still pending",
        "La corporación ambiental pidió estudios adicionales.|El trámite lleva más de seis meses.",
    ),
    _problem(
        "recorte_presupuesto",
        "financial",
        "Recorte presupuestal afecta {obj}|Se redujo el presupuesto asignado a {obj}|Falta de presupuesto "
        "para terminar {obj}|Déficit de recursos propios para {obj}",
        "A budget cut affects {obj}|Insufficient budget to finish {obj}",
        "El concejo no aprobó la adición presupuestal.|Los ingresos propios cayeron este año.",
    ),
    _problem(
        "concejo_oposicion",
        "political",
        "El concejo municipal no aprobó el proyecto de acuerdo de {obj}|Oposición de los concejales a "
        "{obj}|Bloqueo político en el concejo frente a {obj}",
        "The municipal council rejected the bylaw for {obj}|Council members oppose {obj}",
        "Se buscará consenso con las bancadas.|El debate se aplazó para la próxima sesión.",
    ),
    _problem(
        "comunidad_rechazo",
        "political",
        "La comunidad se opone a {obj}|Protestas de vecinos contra {obj}|Rechazo de la comunidad y bloqueo "
        "de la obra de {obj}",
        "Local residents oppose {obj}|Neighbours protest against {obj}",
        "Se harán reuniones de socialización con los líderes.|Los vecinos bloquearon el acceso a la obra.",
    ),
    _problem(
        "disenos",
        "technical_administrative",
        "Los estudios y diseños de {obj} tienen errores|Diseños técnicos de {obj} incompletos|Hay que ajustar "
        "los diseños y estudios técnicos de {obj}",
        "The engineering designs for {obj} contain errors|Technical designs for {obj} are incomplete",
        "La consultoría debe corregir los planos.|Faltan estudios de suelos y cálculos estructurales.",
    ),
    _problem(
        "materiales",
        "technical_administrative",
        "Escasez y alza de precios de los materiales para {obj}|Los materiales de construcción de {obj} no "
        "llegaron|Sobrecostos por aumento del precio del cemento y el acero en {obj}",
        "Shortage and rising prices of materials for {obj}|Construction materials for {obj} did not arrive",
        "El proveedor incumplió las entregas.|Se solicitará un ajuste de precios.",
    ),
    _problem(
        "personal",
        "technical_administrative",
        "Falta de personal técnico para supervisar {obj}|No hay profesionales para la interventoría de {obj}"
        "|Renuncia del ingeniero responsable de {obj}",
        "Lack of technical staff to supervise {obj}|The engineer in charge of {obj} resigned",
        "Se abrirá convocatoria para contratar un profesional.|La supervisión quedó sin responsable.",
    ),
    _problem(
        "ley_garantias",
        "legal",
        "La ley de garantías electorales impide contratar {obj}|Restricción de contratación por periodo "
        "electoral para {obj}|Veda electoral: no se puede firmar el convenio de {obj}",
        "Electoral law bans contracting for {obj} before the elections|Election period freeze on {obj}",
        "Hay que esperar a que pasen las elecciones.|Los convenios interadministrativos quedaron suspendidos.",
    ),
    _problem(
        "servicios_publicos",
        "technical_administrative",
        "La empresa de energía no ha hecho la conexión eléctrica de {obj}|Falta la acometida eléctrica para "
        "{obj}|Sin conexión a la red de energía no funciona {obj}",
        "The power company has not connected {obj} to the grid|No electricity connection yet for {obj}",
        "La solicitud a la electrificadora lleva meses.|Se requiere un transformador nuevo.",
    ),
    _problem(
        "sismo",
        "other",
        "Un sismo dañó {obj}|Daños por el terremoto en {obj}|El movimiento telúrico afectó la estructura de {obj}",
        "An earthquake damaged {obj}|Earthquake damage to {obj}",
        "Se hará una evaluación estructural.|Se declaró la calamidad pública.",
    ),
    _problem(
        "comunicacion",
        "communicational",
        "Información falsa en redes sociales sobre {obj}|Rumores y desinformación afectan la imagen de {obj}"
        "|Noticias falsas sobre {obj} generan desconfianza",
        "False information on social media about {obj}|Rumours and misinformation about {obj}",
        "Se preparará una campaña de comunicación aclaratoria.|El vocero del municipio dará una rueda de prensa.",
    ),
    _problem(
        "contraloria",
        "legal",
        "La contraloría abrió una investigación sobre {obj}|Hallazgo fiscal de la contraloría en {obj}"
        "|Auditoría de la contraloría suspende los pagos de {obj}",
        "The comptroller opened an investigation into {obj}|Audit finding by the comptroller on {obj}",
        "Se entregarán los soportes solicitados.|La oficina de control interno acompaña el proceso.",
    ),
    _problem(
        "sequia",
        "other",
        "La sequía y el fenómeno de El Niño afectan {obj}|Escasez de agua por el verano prolongado en {obj}"
        "|El Niño redujo los caudales y retrasó {obj}",
        "Drought and El Niño affect {obj}|A prolonged dry season delayed {obj}",
        "Se racionará el agua en los sectores altos.|Las fuentes bajaron su caudal.",
    ),
    _problem(
        "convenio",
        "technical_administrative",
        "El convenio con la gobernación para {obj} no se ha firmado|Demora en la firma del convenio "
        "interadministrativo de {obj}|La gobernación no ha suscrito el convenio de cofinanciación de {obj}",
        "The agreement with the provincial government for {obj} is not signed|Delay signing the "
        "inter-agency agreement for {obj}",
        "Falta el visto bueno jurídico de la gobernación.|El borrador del convenio tiene observaciones.",
    ),
    _problem(
        "predios_servidumbre",
        "legal",
        "Los propietarios no conceden la servidumbre de paso para {obj}|Falta la servidumbre de los predios por "
        "donde pasa {obj}|Negociación de servidumbres con los dueños de fincas para {obj}",
        "Landowners refuse the right of way for {obj}|Easements for {obj} are missing",
        "Se iniciará la expropiación administrativa.|Se negocia el valor de la servidumbre.",
    ),
]

# --- Noise -------------------------------------------------------------------------------

NOISE_SUBJECTS = [
    "cementerio", "matadero", "biblioteca", "archivo histórico", "emisora comunitaria", "museo", "banda de paz",
    "coro", "vivero", "zoocriadero", "apiario", "trapiche", "molino", "muelle", "embarcadero", "puente colgante",
    "teleférico", "mirador", "capilla", "salón comunal", "kiosco", "fuente ornamental", "reloj público",
    "monumento", "campanario", "hemeroteca", "ludoteca", "granja escolar", "estanque piscícola", "invernadero",
    "lombricultivo", "compostera", "mariposario", "herbario", "observatorio", "planetario", "acuario", "hipódromo",
    "velódromo", "patinódromo", "bolera", "gallera", "tejódromo", "coliseo de ferias", "plaza de toros",
    "manga de coleo", "feria ganadera", "subasta bovina", "centro de zoonosis", "perrera", "albergue canino",
    "jardín botánico", "orquideario", "sendero de orquídeas", "ciclovía dominical", "festival gastronómico",
    "concurso de trovas", "carnaval", "reinado", "desfile de silleteros", "cabalgata", "torneo de ajedrez",
    "olimpiada matemática", "feria del libro", "cineclub", "taller de cerámica", "escuela de bordado",
    "taller de ebanistería", "herrería", "talabartería", "sastrería comunitaria", "panadería escolar",
    "banco de alimentos", "ropero solidario", "lavadero público", "baños públicos", "parqueadero",
    "báscula pública", "nomenclatura de calles", "placas de dirección", "semaforización", "reductores de velocidad",
    "señales de tránsito", "grúa municipal", "inspección de policía", "comisaría de familia", "casa de justicia",
    "notaría", "registraduría", "oficina de correo", "telefonía rural", "radioaficionados", "antenas parabólicas",
    "televisión comunitaria", "periódico local", "boletín municipal", "himno municipal", "escudo y bandera",
]  # fmt: skip
NOISE_ACTIONS_ES = [
    "Dotación de", "Restauración de", "Pintura de", "Inventario de", "Reglamento de", "Concurso para",
    "Estudio sobre", "Censo de", "Rediseño de", "Traslado de", "Sostenibilidad de", "Aniversario de",
]  # fmt: skip
# One-off problems are put together from a pool of events, so that no wording repeats often
# enough to become a shared problem of its own by chance.
NOISE_EVENTS = [
    "expediente extraviado", "piezas equivocadas", "robo de herramientas", "plaga de termitas", "acta sin firma",
    "vendaval", "cambio de sede", "herencia en sucesión", "demanda laboral", "fallo del software contable",
    "incendio menor", "error de numeración", "goteras", "cerradura dañada", "pérdida de llaves",
    "inventario incompleto", "factura duplicada", "sello vencido", "firma digital caducada",
    "cuenta bancaria embargada", "póliza mal expedida", "caída del servidor", "fumigación pendiente",
    "murciélagos en el techo", "inundación del sótano", "vidrios rotos", "tubería rota", "cortocircuito",
    "extintor vencido", "ascensor averiado", "grafitis", "vandalismo nocturno", "perro extraviado",
    "accidente de tránsito", "huelga del transporte", "derrumbe menor", "fuga de gas", "humedad en los muros",
    "hongos en el archivo", "ratas en la bodega", "hurto de cables", "tormenta eléctrica", "granizada", "helada",
    "ventarrón", "enjambre de abejas", "pintura descascarada", "pisos levantados", "baranda suelta", "techo caído",
]  # fmt: skip
NOISE_FILLERS = [
    "Propuesta del comité de {place}.", "Solicitud presentada por vecinos de {place}.",
    "Idea surgida en el cabildo abierto de {place}.", "Lo pidió la junta de acción comunal de {place}.",
    "Se documentará el caso para el informe anual.", "Queda pendiente de revisión por la secretaría.",
]  # fmt: skip

# Word-level paraphrases applied at random (Spanish), plus accent dropping and plurals.
SYNONYMS_ES = {
    "Construcción": ["Construcción", "Edificación", "Obra de construcción"],
    "Mejoramiento": ["Mejoramiento", "Mejora", "Rehabilitación"],
    "comunidades": ["comunidades", "familias", "hogares"],
    "Fortalecimiento": ["Fortalecimiento", "Apoyo al fortalecimiento", "Impulso"],
    "Se instalarán": ["Se instalarán", "Vamos a instalar", "Serán instalados"],
    "Se construirán": ["Se construirán", "Vamos a construir", "Serán construidas"],
    "municipal": ["municipal", "del municipio"],
    "rurales": ["rurales", "campesinas", "del campo"],
}
GENERIC_ES = [
    "La alcaldía coordinará con la comunidad.", "El proyecto se ejecutará en dos fases.",
    "Es una prioridad del plan de desarrollo.", "Se rendirán cuentas a la ciudadanía.",
    "Cuenta con cofinanciación departamental.", "Beneficiará a cientos de personas.",
]  # fmt: skip
GENERIC_EN = [
    "The mayor's office will work with the community.", "It is a priority of the development plan.",
    "The project will run in two phases.",
]  # fmt: skip

ARO_TYPES = ["financial", "legal", "political", "communicational", "technical_administrative", "other"]
STATUSES = ["in_progress", "in_progress", "in_progress", "programmed", "done", "suspended"]


# --- Ground truth --------------------------------------------------------------------------


@dataclass
class GroundTruth:
    """What was planted. Labels are "initiative:<aim>" and "restriction:<problem>"; noise
    items have no label. Keys are `IndexItem.key` values."""

    municipality_ids: list[int]
    theme_ids: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)  # item key → label ("" for noise)
    language: dict[str, str] = field(default_factory=dict)  # item key → "es" | "en"

    def groups(self, kind: str | None = None) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for key, label in self.labels.items():
            if label and (kind is None or label.startswith(kind + ":")):
                out[label].append(key)
        return dict(out)

    def counts(self) -> dict[str, int]:
        initiatives = sum(1 for k in self.labels if ":initiative:" in k)
        return {
            "municipalities": len(self.municipality_ids),
            "initiatives": initiatives,
            "restrictions": len(self.labels) - initiatives,
            "planted": sum(1 for v in self.labels.values() if v),
        }


def pair_scores(truth_labels: dict[str, str], found: list[list[str]]) -> dict[str, float]:
    """Precision and recall of same-group pairs, over planted items only (pairs with a noise
    item are not counted either way); `noise_grouped`, the share of noise items put in some
    group (noise items grouped among themselves: a one-off subject that happened to repeat);
    and `noise_in_planted`, the share of noise items put in a group whose members are mostly
    planted (unrelated items merged into a real group: what must stay near zero).

    Pairs are counted per label / per found group with combinatorics, not enumerated, so it
    stays cheap with groups of thousands."""
    found_of: dict[str, int] = {}
    for gi, members in enumerate(found):
        for key in members:
            found_of[key] = gi
    planted_share = [sum(1 for k in members if truth_labels.get(k)) / max(len(members), 1) for members in found]
    # contingency: (found group, label) → n, over planted keys in the truth
    cont: dict[tuple[int, str], int] = defaultdict(int)
    per_found: dict[int, int] = defaultdict(int)
    per_label: dict[str, int] = defaultdict(int)
    noise = noise_grouped = noise_in_planted = 0
    for key, label in truth_labels.items():
        if not label:
            noise += 1
            if key in found_of:
                noise_grouped += 1
                noise_in_planted += planted_share[found_of[key]] > 0.5
            continue
        per_label[label] += 1
        if key in found_of:
            cont[(found_of[key], label)] += 1
            per_found[found_of[key]] += 1

    def c2(n: int) -> int:
        return n * (n - 1) // 2

    true_pos = sum(c2(n) for n in cont.values())
    predicted = sum(c2(n) for n in per_found.values())
    actual = sum(c2(n) for n in per_label.values())
    return {
        "precision": true_pos / predicted if predicted else 1.0,
        "recall": true_pos / actual if actual else 1.0,
        "noise_grouped": noise_grouped / noise if noise else 0.0,
        "noise_in_planted": noise_in_planted / noise if noise else 0.0,
    }


# --- Text generation -----------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _vary_es(rng: random.Random, text: str) -> str:
    for word, options in SYNONYMS_ES.items():
        if word in text and rng.random() < 0.5:
            text = text.replace(word, rng.choice(options), 1)
    if rng.random() < 0.2:  # typed without accents
        text = _strip_accents(text)
    if rng.random() < 0.15:
        text = text.lower()
    return text


def _initiative_text(rng: random.Random, aim: Aim, english: bool, place: str) -> tuple[str, str]:
    cores, details, generic = (
        (aim.en_core, aim.en_detail, GENERIC_EN) if english else (aim.es_core, aim.es_detail, GENERIC_ES)
    )
    title_core, text_core = rng.sample(cores, 2) if len(cores) > 1 else (cores[0], cores[0])
    suffix = rng.choice(
        ["", "", f" in {place}" if english else f" en {place}", " - phase 2" if english else " - fase II"]
    )
    title = title_core + suffix
    sentences = rng.sample(details, min(len(details), rng.randint(1, 3)))
    sentences.insert(rng.randint(0, len(sentences)), text_core[0].upper() + text_core[1:] + ".")
    if rng.random() < 0.6:
        sentences.append(rng.choice(generic))
    text = " ".join(sentences)
    if not english:
        title, text = _vary_es(rng, title), _vary_es(rng, text)
    return title[:300], text


def _contract(text: str) -> str:
    return text.replace(" de el ", " del ").replace(" a el ", " al ")


SYLLABLES = [
    "ta", "ma", "que", "hu", "is", "ca", "chi", "qui", "ra", "pa", "to", "co", "ya", "gua", "ti", "la", "ne", "bo",
    "cu", "mi", "sa", "ru", "pe", "lo", "za", "xi", "ju", "na", "ri", "mo", "te", "ba", "ga", "do", "fi", "ve",
    "ho", "lu",
]  # fmt: skip


def _toponym(rng: random.Random) -> str:
    """A made-up local name: what makes one-off texts one-off (sector, vereda, stream)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()


def _noise_initiative(rng: random.Random, place: str) -> tuple[str, str, str]:
    """A one-off initiative, and the subject its restrictions will mention."""
    a, b = rng.sample(NOISE_SUBJECTS, 2)
    title = f"{rng.choice(NOISE_ACTIONS_ES)} {a} de {_toponym(rng)}"
    text = f"{title} y {b} en el sector {_toponym(rng)}. " + rng.choice(NOISE_FILLERS).format(place=place)
    return title, text, a


def _restriction_text(rng: random.Random, problem: Problem, obj: str, english: bool) -> tuple[str, str]:
    variants = problem.en if english else problem.es
    title_v, text_v = rng.sample(variants, 2) if len(variants) > 1 else (variants[0], variants[0])
    title = _contract(title_v.format(obj=obj))
    text = _contract(text_v.format(obj=obj)) + "."
    if not english and rng.random() < 0.7:
        text += " " + rng.choice(problem.es_detail)
    if not english:
        title, text = _vary_es(rng, title), _vary_es(rng, text)
    return title[:300], text


def _noise_restriction(rng: random.Random, place: str, subject: str) -> tuple[str, str]:
    first, second = rng.sample(NOISE_EVENTS, 2)
    title = f"{first.capitalize()} en {subject} {_toponym(rng)}"
    text = f"{title}, y además {second} en la vereda {_toponym(rng)}. " + rng.choice(NOISE_FILLERS).format(place=place)
    return title, text


# --- Loading -------------------------------------------------------------------------------

COLUMNS = (
    "id", "municipality_id", "kind", "source_id", "last_event_id", "title", "text", "status", "light", "is_public",
    "is_open", "restriction_type", "start_date", "end_date", "country", "region", "population_bracket",
    "place_regions", "local_themes", "platform_themes", "sdg_goals", "sdg_targets", "initiative_id",
    "initiative_source_id", "source_url", "updated_at", "search_dirty",
)  # fmt: skip


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list):
        return _copy_value("{" + ",".join('"' + str(v).replace('"', '\\"') + '"' for v in value) + "}")
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_rows(rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(v) for v in row))
        buffer.write("\n")
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY community_indexitem ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def make_municipalities(count: int, *, rng: random.Random | None = None, prefix: str = "gen") -> list[Any]:
    """`count` public-schema Municipality rows without schemas (bulk-created; nothing routes
    to them), with a country, region, population and time zone."""
    from tenants.models import Municipality

    rng = rng or random.Random(0)
    countries = list(COUNTRIES)
    munis = []
    for i in range(count):
        country = rng.choice(countries)
        population = int(min(2_000_000, max(800, rng.lognormvariate(10.0, 1.1))))
        munis.append(
            Municipality(
                name=f"Municipio {rng.choice(PLACES)} {prefix}-{i}",
                slug=f"{prefix}-{i}",
                schema_name=f"m_{prefix}_{i}".replace("-", "_"),
                country=country,
                region=rng.choice(COUNTRIES[country]),
                population=population,
                time_zone=TIME_ZONES[country],
                default_language="en" if country in ENGLISH_COUNTRIES else "es",
            )
        )
    return Municipality.objects.bulk_create(munis, batch_size=2000)


def generate(
    *,
    municipalities: int,
    initiatives: int,
    restrictions: int,
    seed: int = 1,
    aims: int | None = None,
    problems: int | None = None,
    planted_share: float = 0.7,
    english_share: float = 0.15,
    prefix: str = "gen",
    search_dirty: bool = True,
    progress: bool = False,
) -> GroundTruth:
    """Create `municipalities` municipalities, each with `initiatives` shared initiatives and
    `restrictions` restrictions per initiative, and return the ground truth.

    `aims` / `problems` limit how many planted aims and problems are used (tests use a few
    so that each planted group gets several members). `prefix` makes slugs and schema names
    unique when several sets are generated in one database."""
    from django.db import connection, transaction
    from django.utils import timezone

    from community.models import IndexItem, PlatformTheme, population_bracket

    rng = random.Random(seed)
    aim_list = AIMS[: aims or len(AIMS)]
    problem_list = PROBLEMS[: problems or len(PROBLEMS)]
    now = timezone.now()

    with transaction.atomic():
        theme_ids: dict[str, int] = {}
        for name in THEMES:
            theme, _ = PlatformTheme.objects.get_or_create(name=name)
            theme_ids[name] = theme.pk
        munis = make_municipalities(municipalities, rng=rng, prefix=f"{prefix}-{seed}")
        truth = GroundTruth(municipality_ids=[m.pk for m in munis], theme_ids=theme_ids)

        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('community_indexitem', 'id'))")
            next_id = cursor.fetchone()[0]

        rows: list[tuple[Any, ...]] = []
        today = date.today()
        for mi, muni in enumerate(munis):
            english_muni = muni.country in ENGLISH_COUNTRIES
            bracket = population_bracket(muni.population)
            for s in range(initiatives):
                english = english_muni or rng.random() < english_share
                place = rng.choice(PLACES)
                planted = rng.random() < planted_share
                aim = rng.choice(aim_list) if planted else None
                subject = ""
                if aim is not None:
                    title, text = _initiative_text(rng, aim, english, place)
                    label = f"initiative:{aim.key}"
                    has_theme = rng.random() < 0.6
                    themes = [theme_ids[aim.theme]] if has_theme else []
                    local = [{"id": 1 + THEMES.index(aim.theme), "name": aim.theme}] if has_theme else []
                    targets = (
                        sorted(rng.sample(aim.targets, rng.randint(1, len(aim.targets)))) if rng.random() < 0.4 else []
                    )
                else:
                    title, text, subject = _noise_initiative(rng, place)
                    label = ""
                    themes, local, targets = [], [], []
                    if rng.random() < 0.3:
                        name = rng.choice(THEMES)
                        themes, local = [theme_ids[name]], [{"id": 1 + THEMES.index(name), "name": name}]
                goals = sorted({int(t.split(".")[0]) for t in targets})
                source_id = s + 1
                init_id = next_id
                next_id += 1
                key = f"{muni.pk}:initiative:{source_id}"
                truth.labels[key] = label
                truth.language[key] = "en" if english else "es"
                start = today - timedelta(days=rng.randint(30, 600))
                is_public = rng.random() < 0.8
                rows.append((
                    init_id, muni.pk, "initiative", source_id, 1, title, text, rng.choice(STATUSES),
                    rng.randint(0, 3), is_public, True, "", start, start + timedelta(days=rng.randint(90, 900)),
                    muni.country, muni.region, bracket, [place], json.dumps(local), themes, goals, targets,
                    None, None, "", now, search_dirty,
                ))  # fmt: skip
                obj = (aim.obj_en if english else aim.obj_es) if aim else subject
                for r in range(restrictions):
                    r_english = english if rng.random() < 0.9 else not english
                    r_obj = obj if r_english == english or aim is None else (aim.obj_en if r_english else aim.obj_es)
                    if rng.random() < planted_share:
                        problem = rng.choice(problem_list)
                        r_title, r_text = _restriction_text(rng, problem, r_obj, r_english)
                        r_label = f"restriction:{problem.key}"
                        # Municipalities type the same problem differently now and then.
                        r_type = problem.type if rng.random() < 0.8 else rng.choice(ARO_TYPES)
                    else:
                        # One-off problems are written in Spanish, naming the works in Spanish.
                        r_title, r_text = _noise_restriction(rng, place, aim.obj_es if aim else subject)
                        r_label, r_type = "", rng.choice(ARO_TYPES)
                    r_source = source_id * 100 + r + 1
                    r_key = f"{muni.pk}:restriction:{r_source}"
                    truth.labels[r_key] = r_label
                    truth.language[r_key] = "en" if r_english else "es"
                    raised = today - timedelta(days=rng.randint(0, 400))
                    rows.append((
                        next_id, muni.pk, "restriction", r_source, 1, r_title, r_text, "",
                        None, is_public, rng.random() < 0.7, r_type, None, raised,
                        muni.country, muni.region, bracket, [place], json.dumps(local), themes, goals, targets,
                        init_id, source_id, "", now, search_dirty,
                    ))  # fmt: skip
                    next_id += 1
            if len(rows) >= 50_000:
                _copy_rows(rows)
                rows = []
                if progress:
                    print(f"  {mi + 1} municipalities loaded", flush=True)
        if rows:
            _copy_rows(rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('community_indexitem', 'id'), %s)",
                [max(next_id - 1, 1)],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE community_indexitem")
    assert IndexItem.objects.filter(municipality_id=munis[0].pk).exists() if munis and initiatives else True
    return truth
