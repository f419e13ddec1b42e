"""The demo portfolio's content: what each demo initiative is about, in Spanish with each
country's own words, and what has happened to it. `demo.py` loads it through the services."""

from __future__ import annotations

from dataclasses import dataclass

from tenants.initiatives.models import ProductKind
from tenants.roles import MunicipalRole as R

WHO = {
    "g": R.INITIATIVE_MANAGER,
    "s": R.INSTITUTIONAL_FOLLOW_UP,
    "c": R.COMMUNICATIONS_EDITOR,
    "t": R.SYSTEM_COUNTERPART,
    "a": R.AGENDA_MANAGER,
}

# Words that change from country to country.
LOCAL: dict[str, dict[str, str]] = {
    "san-miguel": {
        "procurement": "Guatecompras",
        "norm": "reglamento municipal",
        "env_of": "del MARN",
        "health": "el MSPAS",
        "to_water_board": "al comité de agua y al COCODE",
        "paving": "adoquín",
        "training": "INTECAP",
    },
    "villa-esperanza": {
        "procurement": "SECOP II",
        "norm": "acuerdo municipal",
        "env_of": "de Corpoboyacá",
        "health": "la Secretaría de Salud de Boyacá",
        "to_water_board": "a la junta administradora del acueducto",
        "paving": "placa huella",
        "training": "SENA",
    },
    "puerto-azul": {
        "procurement": "PanamaCompra",
        "norm": "acuerdo municipal",
        "env_of": "de MiAMBIENTE",
        "health": "el MINSA",
        "to_water_board": "a la JAAR",
        "paving": "concreto",
        "training": "INADEH",
    },
}


@dataclass(frozen=True)
class Step:
    """A milestone of an archetype."""

    name: str
    weight: int = 1
    who: str = "g"
    risks: str = ""
    evidence: str = ""
    comm: bool = False  # a communication opportunity
    on_site: bool = False  # linked to the initiative's places
    with_actors: bool = False  # linked to the initiative's actors


@dataclass(frozen=True)
class Problem:
    at: int  # the milestone it concerns
    aro_type: str  # BuiltInAroType key
    description: str
    action: str = ""
    decision: str = ""


@dataclass(frozen=True)
class Archetype:
    product_kind: str
    objective: str
    description: str
    steps: tuple[Step, ...]
    restriction: Problem
    alert: Problem
    opportunity: Problem
    current: int  # the milestone in progress today in the plain scenarios
    opinions: tuple[tuple[str, str, str], ...] = ()  # author, text, the municipality's reply


ARCHETYPES: dict[str, Archetype] = {
    "water": Archetype(
        ProductKind.PUBLIC_WORK,
        "Que las familias de {place} tengan agua potable entubada en su casa todos los días.",
        "Captación de un nacimiento, línea de conducción por gravedad, tanque de distribución de 60 m³ y "
        "conexiones domiciliarias con contador. La comunidad aporta mano de obra no calificada.",
        (
            Step(
                "Estudio hidrológico y aforo de la fuente",
                evidence="Informe de aforo: 2,8 litros por segundo en época seca, suficiente para 190 familias.",
            ),
            Step(
                "Diseño final y presupuesto aprobados por el Concejo Municipal",
                who="s",
                evidence="Punto de acta del Concejo Municipal que aprueba el diseño y el presupuesto de la obra.",
            ),
            Step(
                "Servidumbres de paso y permiso ambiental {env_of}",
                with_actors=True,
                risks="Propietarios que no firmen.",
            ),
            Step("Contratación de la obra en {procurement}", who="t"),
            Step(
                "Construcción de captación, línea de conducción y tanque",
                weight=4,
                on_site=True,
                risks="Lluvias intensas pueden dañar las zanjas abiertas.",
            ),
            Step("Conexiones domiciliarias y entrega {to_water_board}", weight=2, comm=True, on_site=True),
        ),
        restriction=Problem(
            2,
            "legal",
            "Dos propietarios del tramo alto se niegan a firmar la servidumbre de paso de la línea de conducción.",
            "Negociar una compensación o usar un trazo alternativo por el camino vecinal (unos 600 m más de tubería).",
            "Autorizar la compra del derecho de paso con fondos municipales o aprobar el trazo alternativo.",
        ),
        alert=Problem(
            4,
            "financial",
            "El precio de la tubería de PVC subió un 18 % desde que se hizo el presupuesto.",
            "Pedir cotizaciones a tres proveedores y evaluar una compra conjunta con los municipios vecinos.",
            "Autorizar una modificación presupuestaria si el alza se confirma.",
        ),
        opportunity=Problem(
            0,
            "other",
            "Una ONG de agua y saneamiento ofrece donar los contadores domiciliarios y capacitar {to_water_board}.",
            "Firmar una carta de entendimiento antes de la etapa de conexiones.",
        ),
        current=3,
        opinions=(
            (
                "Petrona Cux",
                "Por fin vamos a tener agua en la casa. ¿Cuándo empiezan a abrir la zanja en el caserío de arriba?",
                "Gracias por escribirnos. La zanja del tramo alto empieza cuando se firmen las servidumbres de paso; "
                "lo avisaremos por la radio comunitaria y en la asamblea.",
            ),
            ("Vecino de la aldea", "Ojalá el comité rinda cuentas de las cuotas que ya pagamos para el proyecto.", ""),
        ),
    ),
    "market": Archetype(
        ProductKind.PUBLIC_WORK,
        "Un mercado municipal seguro, limpio y ordenado para los locatarios y los compradores de {place}.",
        "Renovación de techos, pisos, drenajes y red eléctrica, con área de comida y bodegas, sin perder puestos.",
        (
            Step(
                "Censo de locatarios y acuerdo de convivencia",
                with_actors=True,
                evidence="Censo de 146 puestos y acta de acuerdo firmada con la asociación de locatarios.",
            ),
            Step(
                "Diseño arquitectónico validado con los locatarios",
                with_actors=True,
                comm=True,
                evidence="Planos aprobados en la asamblea de locatarios (acta 12).",
            ),
            Step("Contratación de la obra en {procurement}", who="t"),
            Step("Traslado temporal de los puestos a la plaza provisional", on_site=True, with_actors=True),
            Step(
                "Obra: techos, pisos, drenajes y red eléctrica",
                weight=4,
                on_site=True,
                risks="Hallazgo de tuberías en mal estado bajo el piso.",
            ),
            Step("Reapertura y asignación de puestos", comm=True, who="s"),
        ),
        restriction=Problem(
            2,
            "technical_administrative",
            "La licitación quedó desierta: ninguna de las tres ofertas presentó la fianza de cumplimiento.",
            "Ajustar los precios de referencia y relanzar el proceso en {procurement} con un plazo de 15 días.",
            "Aprobar el ajuste del presupuesto de la obra (+12 %) y el nuevo calendario.",
        ),
        alert=Problem(
            3,
            "political",
            "Un grupo de locatarios rechaza la plaza provisional porque queda lejos de la parada de buses.",
            "Negociar una ruta de transporte gratuita los días de mercado durante la obra.",
            "Aprobar el servicio de transporte mientras dure el traslado.",
        ),
        opportunity=Problem(
            0,
            "financial",
            "El banco de desarrollo ofrece un crédito blando para equipar cámaras de frío para carnes y mariscos.",
            "Preparar el perfil del proyecto con la dirección financiera.",
        ),
        current=1,
        opinions=(
            (
                "Locataria del sector de verduras",
                "Pedimos que el traslado no sea en diciembre, que es cuando más vendemos.",
                "Tomamos nota: el traslado está programado para después de las fiestas de fin de año.",
            ),
        ),
    ),
    "waste": Archetype(
        ProductKind.IMPROVED_SERVICE,
        "Recolección regular de desechos sólidos en {place}, dos veces por semana, con separación en la fuente.",
        "Nueva ruta con horarios conocidos, un camión compactador y una campaña casa por casa para separar "
        "orgánicos, reciclables y rechazo.",
        (
            Step(
                "Diagnóstico y caracterización de los residuos",
                evidence="Estudio de caracterización: 0,52 kg por habitante al día, 61 % de residuos orgánicos.",
            ),
            Step(
                "Diseño de la ruta y los horarios con los vecinos",
                with_actors=True,
                comm=True,
                evidence="Ruta de 14 km y horarios acordados en cuatro asambleas de vecinos (actas adjuntas).",
            ),
            Step("Adquisición del camión recolector", weight=3, who="t", risks="Demora del crédito bancario."),
            Step("Campaña de separación en la fuente casa por casa", comm=True, on_site=True, who="c"),
            Step("Inicio de la ruta y primer informe de toneladas recogidas", weight=2, on_site=True),
        ),
        restriction=Problem(
            2,
            "financial",
            "El desembolso del crédito para el camión se retrasó: el banco pide una garantía adicional.",
            "Presentar como garantía los ingresos de la tasa de aseo.",
            "Autorizar que la tasa de aseo respalde el crédito.",
        ),
        alert=Problem(
            3,
            "communicational",
            "En la prueba piloto solo el 30 % de las casas sacó la basura separada: los horarios no se conocen.",
            "Repartir calendarios impresos y anunciar la ruta por la radio y los altavoces de la iglesia.",
        ),
        opportunity=Problem(
            0,
            "other",
            "Una empresa recicladora de la región ofrece comprar el plástico y el cartón separados.",
            "Firmar un convenio de compra con precio de referencia por tonelada.",
        ),
        current=2,
        opinions=(
            (
                "Carlos M.",
                "En mi calle el camión pasa muy temprano y nadie alcanza a sacar la basura.",
                "Gracias. Desde la próxima semana la ruta de su sector pasa después de las 7:00; publicaremos "
                "el nuevo horario en la página del municipio.",
            ),
            ("Vecina de la zona", "¿Dónde se pueden dejar los reciclables grandes, como cajas y botellas?", ""),
        ),
    ),
    "ordinance": Archetype(
        ProductKind.REGULATION,
        "Ordenar las ventas en la vía pública de {place} sin dejar sin ingresos a quienes viven de ellas.",
        "Un {norm} que define zonas y horarios de venta, un carné para cada vendedor y una cuota accesible.",
        (
            Step(
                "Diagnóstico y censo de ventas en la vía pública",
                evidence="Censo de 212 vendedores con ubicación, horario y tipo de producto.",
            ),
            Step(
                "Borrador del {norm} con asesoría jurídica",
                who="t",
                evidence="Borrador revisado por la asesoría jurídica (versión 3).",
            ),
            Step("Mesas de consulta con vendedores y vecinos", with_actors=True, comm=True),
            Step("Aprobación en el Concejo Municipal", who="s"),
            Step("Publicación, socialización y entrega de carnés", comm=True, on_site=True, who="c"),
        ),
        restriction=Problem(
            3,
            "legal",
            "La asesoría jurídica advierte que la cuota por puesto necesita un dictamen previo de la comisión "
            "de finanzas.",
            "Pedir el dictamen a la comisión de finanzas en su próxima sesión.",
            "Aprobar que el borrador vaya al Concejo sin la cuota y que esta se apruebe aparte.",
        ),
        alert=Problem(
            2,
            "political",
            "Los vendedores de la calle principal anuncian una protesta si se prohíbe vender frente a la iglesia.",
            "Invitar a sus dirigentes a una mesa específica antes de la sesión del Concejo.",
        ),
        opportunity=Problem(
            0,
            "other",
            "La cámara de comercio ofrece capacitar gratis a los vendedores en manipulación de alimentos.",
            "Incluir la capacitación como requisito para el carné.",
        ),
        current=2,
    ),
    "health": Archetype(
        ProductKind.IMPROVED_SERVICE,
        "Que las familias de {place} reciban atención primaria y vacunación sin viajar a la cabecera.",
        "Puesto de salud en el local comunitario, equipado, con una enfermera y un promotor de salud, "
        "en convenio con {health}.",
        (
            Step(
                "Convenio con {health} firmado",
                who="s",
                evidence="Convenio de cooperación firmado por la alcaldía y {health}.",
            ),
            Step(
                "Adecuación del local comunitario",
                weight=3,
                on_site=True,
                evidence="Acta de recepción de la obra de adecuación y visto bueno del inspector sanitario.",
            ),
            Step(
                "Equipamiento básico y primer lote de medicamentos",
                weight=2,
                who="t",
                evidence="Inventario firmado: camilla, refrigerador de vacunas y botiquín básico.",
            ),
            Step(
                "Contratación de enfermera y promotor de salud",
                evidence="Contratos firmados y credenciales entregadas.",
            ),
            Step(
                "Apertura y primera jornada de atención",
                comm=True,
                on_site=True,
                evidence="Registro de la jornada de apertura: 87 consultas y 42 vacunas aplicadas.",
            ),
        ),
        restriction=Problem(
            1,
            "technical_administrative",
            "La obra de adecuación no tiene todavía el visto bueno del inspector sanitario.",
            "Corregir la ventilación del consultorio y pedir una nueva inspección.",
        ),
        alert=Problem(
            3,
            "technical_administrative",
            "La plaza de enfermería no está asignada y la convocatoria podría quedar para el próximo año fiscal.",
            "Pagar la plaza con fondos municipales durante seis meses mientras se asigna.",
            "Aprobar el pago temporal de la plaza de enfermería con fondos municipales.",
        ),
        opportunity=Problem(
            0,
            "other",
            "La universidad ofrece enviar estudiantes de medicina en servicio social dos días por semana.",
            "Firmar el convenio de prácticas.",
        ),
        current=3,
        opinions=(
            (
                "María José Ramírez",
                "Gracias, ya no tenemos que bajar hasta el centro para vacunar a los niños.",
                "¡Gracias a usted! La jornada de vacunación es el primer martes de cada mes.",
            ),
            ("Un vecino", "Haría falta que el puesto atienda también los sábados por la mañana.", ""),
        ),
    ),
    "road": Archetype(
        ProductKind.PUBLIC_WORK,
        "Una vía transitable todo el año para sacar la cosecha y llegar al puesto de salud desde {place}.",
        "Pavimentación en {paving} de 2,4 km con cunetas, alcantarillas y señalización.",
        (
            Step(
                "Estudios topográficos y diseños de la vía",
                evidence="Estudios y diseños recibidos por la dirección de obras (informe final).",
            ),
            Step(
                "Socialización con la comunidad y actas de vecindad",
                with_actors=True,
                comm=True,
                evidence="Actas de vecindad firmadas con 38 predios colindantes.",
            ),
            Step("Contratación de la obra y la supervisión en {procurement}", who="t"),
            Step("Obras de drenaje, cunetas y alcantarillas", weight=3, on_site=True),
            Step(
                "Pavimentación en {paving}",
                weight=4,
                on_site=True,
                risks="Temporada de lluvias; escasez de agregados en la región.",
            ),
            Step("Señalización y recibo final de la obra", comm=True, who="s"),
        ),
        restriction=Problem(
            3,
            "technical_administrative",
            "Las lluvias arrastraron material en el tramo de la quebrada; hay que rediseñar una alcantarilla.",
            "Contratar el rediseño con la supervisión y ajustar las cantidades de obra.",
            "Aprobar la modificación del contrato de obra.",
        ),
        alert=Problem(
            2,
            "legal",
            "Un oferente presentó observaciones al pliego; el proceso podría suspenderse.",
            "Responder las observaciones con la asesoría jurídica dentro del plazo.",
        ),
        opportunity=Problem(
            0,
            "financial",
            "El fondo regional de vías abre una convocatoria de cofinanciación hasta fin de mes.",
            "Presentar el proyecto con los diseños ya aprobados.",
        ),
        current=2,
    ),
    "youth": Archetype(
        ProductKind.NEW_SERVICE,
        "Que 120 jóvenes de {place} de 16 a 24 años consigan su primera experiencia laboral.",
        "Formación en habilidades laborales con {training}, pasantías pagadas en empresas y cooperativas "
        "locales y una feria de empleo.",
        (
            Step(
                "Convenios con empresas y cooperativas locales",
                who="s",
                with_actors=True,
                evidence="Convenios firmados con 14 empresas que ofrecen 40 plazas de pasantía.",
            ),
            Step(
                "Convocatoria, inscripción y selección de jóvenes",
                comm=True,
                with_actors=True,
                who="c",
                evidence="Lista de 120 jóvenes seleccionados publicada en la página del municipio.",
            ),
            Step("Formación en habilidades laborales con {training} (120 horas)", weight=3),
            Step("Pasantías en empresas", weight=3),
            Step("Evaluación, certificación y feria de empleo", comm=True, on_site=True),
        ),
        restriction=Problem(
            2,
            "financial",
            "{training} suspendió los instructores del programa por un recorte de presupuesto.",
            "Pedir a {training} que reprograme los cursos y buscar instructores de la cooperativa.",
            "Autorizar un pago puente a los instructores con fondos municipales.",
        ),
        alert=Problem(
            1,
            "communicational",
            "Las inscripciones van por debajo de la meta (45 de 120) y hay pocas mujeres inscritas.",
            "Campaña en colegios y redes con jóvenes embajadores; horario de tarde para madres jóvenes.",
            "Aprobar la ampliación del plazo de inscripción dos semanas.",
        ),
        opportunity=Problem(
            0,
            "other",
            "Una cadena hotelera ofrece 15 plazas de pasantía adicionales.",
            "Incluir la cadena hotelera en los convenios.",
        ),
        current=1,
    ),
}


@dataclass(frozen=True)
class Plan:
    """One demo initiative: what it is, where, and what has happened to it (`scenario`)."""

    archetype: str
    scenario: str  # level3 | late | at_risk | lagging | reprogrammed | on_time | done | draft | suspended
    name: str
    place: str  # the place named in the texts
    themes: tuple[str, ...]
    places: tuple[str, ...]
    actors: tuple[str, ...]
    population: int
    budget: str
    funding: str
    public: bool = False
    share: bool = False


# fmt: off
PLANS: dict[str, list[Plan]] = {
    "san-miguel": [
        Plan(
            "water", "level3", "Agua potable para la aldea San Lorenzo El Cubo", "la aldea San Lorenzo El Cubo",
            ("E2", "E2.1"), ("Z3", "C-SL"), ("Comité de Agua Potable", "Marcos Tzul Ixcoy"), 1_150, "2450000.00",
            "Consejo Departamental de Desarrollo y aporte municipal", public=True, share=True,
        ),
        Plan(
            "market", "at_risk", "Renovación del mercado municipal", "la cabecera municipal", ("E1", "E1.1"),
            ("Z1", "C-SF"), ("Asociación de Mujeres Emprendedoras",), 14_300, "3800000.00",
            "Préstamo del INFOM y fondos propios", share=True,
        ),
        Plan(
            "waste", "reprogrammed", "Ruta de recolección de desechos en Zona 2 y El Pensativo",
            "la Zona 2 y la aldea El Pensativo", ("E2", "E2.2"), ("Z2", "C-EP"), (), 15_700, "920000.00",
            "Tasa de extracción de basura", public=True,
        ),
        Plan(
            "ordinance", "late", "Reglamento municipal de ventas en la vía pública", "el centro histórico",
            ("E4", "E4.1", "E1"), ("Z1",), ("Asociación de Mujeres Emprendedoras",), 212, "45000.00",
            "Presupuesto de funcionamiento",
        ),
        Plan(
            "health", "done", "Puesto de salud de la aldea El Pensativo", "la aldea El Pensativo", ("E3", "E3.1"),
            ("C-EP",), ("Centro de Salud Municipal", "Adultos mayores del casco urbano"), 3_800, "380000.00",
            "Fondos propios y aporte del MSPAS", public=True,
        ),
        Plan(
            "youth", "draft", "Programa de empleo juvenil «Mi primer empleo»", "el municipio", ("E3", "E3.3"), (),
            ("Consejo de Jóvenes",), 120, "600000.00", "Cooperación internacional",
        ),
    ],
    "villa-esperanza": [
        Plan(
            "water", "level3", "Acueducto veredal Alto del Águila", "la vereda Alto del Águila", ("E2", "E2.1"),
            ("CR1", "V-AL"), ("Comité de Agua Potable",), 850, "1850000000.00",
            "Plan Departamental de Aguas y recursos propios", public=True, share=True,
        ),
        Plan(
            "road", "late", "Placa huella en la vía Pie de Monte - El Roble", "la vereda Pie de Monte",
            ("E1", "E1.2"), ("CR1", "V-PM"), ("Cooperativa Agrícola La Unión",), 1_490, "2100000000.00",
            "Sistema General de Regalías", share=True,
        ),
        Plan(
            "market", "lagging", "Plaza de mercado campesino", "el casco urbano", ("E1", "E1.2"), ("CM1", "B-SJ"),
            ("Cooperativa Agrícola La Unión",), 9_800, "950000000.00",
            "Recursos propios y cofinanciación del departamento",
        ),
        Plan(
            "waste", "reprogrammed", "Separación en la fuente y ruta selectiva en La Esperanza",
            "la Comuna 2 - La Esperanza", ("E2", "E2.2"), ("CM2", "B-LP"), (), 6_400, "420000000.00",
            "Tarifa de aseo", public=True,
        ),
        Plan(
            "youth", "at_risk", "Jóvenes Emprenden: empleo juvenil rural", "el municipio", ("E3", "E3.3", "E1.2"),
            ("CR1",), ("Consejo de Jóvenes", "Cooperativa Agrícola La Unión"), 120, "310000000.00",
            "Recursos propios y SENA",
        ),
        Plan(
            "health", "done", "Puesto de salud del corregimiento El Roble", "el corregimiento El Roble",
            ("E3", "E3.1"), ("CR1",), ("Centro de Salud Municipal",), 4_100, "260000000.00",
            "Sistema General de Participaciones",
        ),
    ],
    "puerto-azul": [
        Plan(
            "waste", "on_time", "Recolección de desechos en Río Hato Abajo", "Río Hato Abajo", ("E2", "E2.2"),
            ("PA-RH",), (), 9_700, "540000.00", "Tasa de aseo y fondos del PDIS", public=True,
        ),
        Plan(
            "market", "level3", "Remodelación del mercado de mariscos de La Marina", "la barriada La Marina",
            ("E1", "E1.1"), ("PA-CAB", "BR-LM"), ("Asociación de Mujeres Emprendedoras",), 3_300, "1250000.00",
            "Programa de Inversión de Obras Públicas y Servicios", public=True, share=True,
        ),
        Plan(
            "health", "at_risk", "Subcentro de salud de El Caño", "El Caño", ("E3", "E3.1"), ("PA-EC",),
            ("Centro de Salud Municipal",), 7_200, "480000.00", "Fondos propios y MINSA",
        ),
        Plan(
            "ordinance", "late", "Acuerdo municipal de ordenamiento de kioscos y ventas en la playa",
            "la playa de la cabecera", ("E4", "E4.1", "E1.1"), ("PA-CAB",), ("Asociación de Mujeres Emprendedoras",),
            180, "30000.00", "Presupuesto de funcionamiento", share=True,
        ),
        Plan(
            "road", "suspended", "Pavimentación de calles de Villa del Este", "la barriada Villa del Este", ("E2",),
            ("BR-VE",), (), 2_100, "870000.00", "Traspaso del Programa de Descentralización",
        ),
        Plan(
            "youth", "reprogrammed", "Jóvenes guías de turismo comunitario", "el corregimiento",
            ("E1", "E1.1", "E3.3"), ("PA-CAB", "PA-RH"), ("Consejo de Jóvenes",), 60, "150000.00",
            "Autoridad de Turismo y fondos propios", public=True,
        ),
    ],
}
# fmt: on


NOTES = (
    "Se coordinó con el equipo técnico la programación de la semana.",
    "Se levantó información en campo con apoyo de los líderes comunitarios.",
    "Se revisaron los documentos con la asesoría jurídica y planificación.",
    "Se informó a la comunidad por la radio local y las redes sociales del municipio.",
    "Sin novedades mayores; se mantiene el cronograma.",
    "Visita de seguimiento con el concejal de la comisión respectiva.",
)


# --- The calendar of each scenario, in days from today ---------------------------------------
