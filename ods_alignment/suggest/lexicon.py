"""Seed lexicon: municipal vocabulary per goal and target, in Spanish and English.

The official SDG texts speak the language of national statistics ("proportion of the population
using safely managed drinking water services"); municipal initiatives speak of works and
services ("construcción del acueducto", "LED street lighting"). This hand-written lexicon
bridges the two. Each entry is a target code ("6.1") or a goal number alone ("6": the goal in
general) mapped to terms separated by ";". Phrases of two words or more also count as bigrams.

Written before the evaluation set (bench/sdg_eval/) and not tuned on it.
"""

from __future__ import annotations

LEXICON: dict[str, dict[str, str]] = {
    # 1 No poverty
    "1": {
        "es": "pobreza; pobres; pobreza extrema; familias vulnerables; hogares vulnerables; población vulnerable",
        "en": "poverty; the poor; extreme poverty; vulnerable families; low-income households; vulnerable households",
    },
    "1.3": {
        "es": "transferencias monetarias; subsidio; subsidios; bono; protección social; asistencia social; "
        "pensión no contributiva; adultos mayores en situación de pobreza; programa social",
        "en": "cash transfers; subsidy; subsidies; social protection; social assistance; welfare; social pension; "
        "safety net; social programme",
    },
    "1.4": {
        "es": "servicios básicos; titulación de predios; legalización de tierras; títulos de propiedad; "
        "microcrédito; microfinanzas",
        "en": "basic services; land titling; property titles; land tenure; microcredit; microfinance",
    },
    "1.5": {
        "es": "damnificados; familias afectadas por inundaciones; ayuda humanitaria; albergues temporales",
        "en": "disaster victims; affected families; humanitarian aid; emergency shelters",
    },
    # 2 Zero hunger
    "2": {
        "es": "hambre; seguridad alimentaria; alimentos; alimentación",
        "en": "hunger; food security; food; feeding",
    },
    "2.1": {
        "es": "comedor comunitario; comedores populares; olla común; banco de alimentos; canasta básica; "
        "entrega de alimentos; desayunos escolares; alimentación escolar; merienda escolar",
        "en": "community kitchen; soup kitchen; food bank; food parcels; school meals; school feeding; "
        "food distribution; food pantry",
    },
    "2.2": {
        "es": "desnutrición; malnutrición; nutrición; desnutrición infantil; anemia; talla baja; "
        "complementos nutricionales",
        "en": "malnutrition; undernutrition; nutrition; stunting; wasting; child nutrition; anaemia; "
        "nutritional supplements",
    },
    "2.3": {
        "es": "pequeños productores; agricultores; agricultura familiar; productores agrícolas; ganaderos; "
        "pescadores artesanales; feria de productores; mercado campesino; asistencia técnica agrícola; "
        "semillas; cosecha; cultivos; riego",
        "en": "smallholder farmers; farmers; family farming; agricultural producers; livestock; farmers market; "
        "agricultural extension; seeds; harvest; crops; irrigation",
    },
    "2.4": {
        "es": "agricultura sostenible; huertos; huertas; huerto comunitario; huertos urbanos; agroecología; "
        "agricultura orgánica; abono orgánico",
        "en": "sustainable agriculture; vegetable gardens; community garden; urban gardens; agroecology; "
        "organic farming; organic fertiliser",
    },
    # 3 Good health
    "3": {
        "es": "salud; centro de salud; puesto de salud; hospital; atención médica; médicos; enfermería; "
        "brigadas médicas; clínica; consultas médicas",
        "en": "health; health centre; health clinic; hospital; medical care; doctors; nurses; medical brigades; "
        "clinic; primary health care",
    },
    "3.1": {
        "es": "salud materna; control prenatal; embarazadas; parto; mortalidad materna",
        "en": "maternal health; prenatal care; pregnant women; childbirth; maternal mortality",
    },
    "3.2": {
        "es": "salud infantil; recién nacidos; mortalidad infantil; control de niño sano",
        "en": "child health; newborns; infant mortality; well-child visits",
    },
    "3.3": {
        "es": "vacunación; vacunas; dengue; malaria; paludismo; vih; tuberculosis; fumigación; zancudos; mosquitos; "
        "enfermedades transmisibles; chikungunya; zika; epidemia",
        "en": "vaccination; vaccines; immunisation; dengue; malaria; hiv; tuberculosis; fumigation; mosquitoes; "
        "communicable diseases; epidemic",
    },
    "3.4": {
        "es": "salud mental; diabetes; hipertensión; enfermedades crónicas; prevención del suicidio; "
        "actividad física; cáncer",
        "en": "mental health; diabetes; hypertension; chronic diseases; suicide prevention; physical activity; cancer",
    },
    "3.5": {
        "es": "adicciones; consumo de drogas; alcoholismo; rehabilitación de adictos",
        "en": "addiction; drug use; substance abuse; alcoholism; rehabilitation",
    },
    "3.6": {
        "es": "seguridad vial; accidentes de tránsito; educación vial; reductores de velocidad; semáforos",
        "en": "road safety; traffic accidents; road crashes; speed bumps; traffic lights",
    },
    "3.7": {
        "es": "salud sexual y reproductiva; planificación familiar; embarazo adolescente",
        "en": "sexual and reproductive health; family planning; teenage pregnancy",
    },
    "3.8": {
        "es": "cobertura sanitaria; medicamentos; farmacia municipal; ambulancia; seguro de salud",
        "en": "health coverage; medicines; pharmacy; ambulance; health insurance",
    },
    # 4 Quality education
    "4": {
        "es": "educación; escuela; escuelas; colegio; estudiantes; alumnos; docentes; maestros; aulas; "
        "útiles escolares; becas; biblioteca; alfabetización",
        "en": "education; school; schools; students; pupils; teachers; classrooms; school supplies; scholarships; "
        "library; literacy",
    },
    "4.1": {
        "es": "educación primaria; educación secundaria; deserción escolar; abandono escolar; refuerzo escolar",
        "en": "primary education; secondary education; school dropout; tutoring; homework club",
    },
    "4.2": {
        "es": "primera infancia; educación inicial; preescolar; jardín infantil; centro de desarrollo infantil; "
        "guardería; cuidado infantil",
        "en": "early childhood; preschool; kindergarten; nursery; childcare centre; early learning",
    },
    "4.3": {
        "es": "formación técnica; universidad; educación superior; instituto técnico; capacitación profesional",
        "en": "technical training; university; higher education; vocational school; tertiary education",
    },
    "4.4": {
        "es": "competencias digitales; alfabetización digital; cursos de computación; talleres de oficios",
        "en": "digital skills; digital literacy; computer courses; job skills workshops",
    },
    "4.6": {
        "es": "alfabetización de adultos; educación de adultos",
        "en": "adult literacy; adult education",
    },
    "4.a": {
        "es": "infraestructura escolar; construcción de aulas; mejoramiento de escuelas; rehabilitación de escuelas; "
        "mobiliario escolar; comedor escolar; baños escolares",
        "en": "school infrastructure; new classrooms; school repairs; school renovation; school furniture",
    },
    "4.c": {
        "es": "capacitación docente; formación de maestros",
        "en": "teacher training; teacher development",
    },
    # 5 Gender equality
    "5": {
        "es": "género; igualdad de género; mujeres; mujer; niñas; equidad de género; perspectiva de género",
        "en": "gender; gender equality; women; woman; girls; gender equity; gender perspective",
    },
    "5.2": {
        "es": "violencia contra la mujer; violencia de género; violencia intrafamiliar; violencia doméstica; "
        "casa de acogida; refugio para mujeres; feminicidio; acoso sexual",
        "en": "violence against women; gender-based violence; domestic violence; women's shelter; femicide; "
        "sexual harassment",
    },
    "5.3": {
        "es": "matrimonio infantil; uniones tempranas",
        "en": "child marriage; early marriage",
    },
    "5.4": {
        "es": "cuidados; trabajo doméstico no remunerado; sistema de cuidados; cuidadoras",
        "en": "care work; unpaid domestic work; care system; caregivers",
    },
    "5.5": {
        "es": "liderazgo femenino; participación política de las mujeres; mujeres líderes; oficina de la mujer",
        "en": "women's leadership; women in politics; women leaders; women's office",
    },
    "5.a": {
        "es": "emprendimiento femenino; mujeres emprendedoras; autonomía económica de las mujeres",
        "en": "women entrepreneurs; women's economic empowerment; female entrepreneurship",
    },
    # 6 Clean water and sanitation
    "6": {
        "es": "agua; servicio de agua; empresa de agua",
        "en": "water; water service; water utility",
    },
    "6.1": {
        "es": "agua potable; acueducto; acueductos; abastecimiento de agua; suministro de agua; red de agua; "
        "tubería; tuberías; tanque de agua; pozo; pozos; planta potabilizadora; potabilización; "
        "conexiones domiciliarias; cisterna; tomas de agua; agua segura",
        "en": "drinking water; potable water; water supply; aqueduct; water mains; water pipes; pipeline; water tank; "
        "borehole; wells; water treatment plant; household connections; safe water; water network",
    },
    "6.2": {
        "es": "saneamiento; alcantarillado; red de alcantarillado; letrinas; baños; servicios higiénicos; "
        "pozos sépticos; fosa séptica; higiene; lavado de manos; aguas negras; cloacas",
        "en": "sanitation; sewer; sewerage; sewer network; latrines; toilets; septic tanks; hygiene; "
        "handwashing; sewage",
    },
    "6.3": {
        "es": "aguas residuales; planta de tratamiento de aguas residuales; tratamiento de aguas residuales; "
        "calidad del agua; contaminación del río; vertidos",
        "en": "wastewater; wastewater treatment plant; wastewater treatment; water quality; river pollution; "
        "discharges; effluent",
    },
    "6.4": {
        "es": "fugas de agua; uso eficiente del agua; medidores de agua; micromedición; escasez de agua; "
        "cosecha de agua de lluvia",
        "en": "water leaks; water efficiency; water meters; water scarcity; rainwater harvesting",
    },
    "6.5": {
        "es": "cuenca; cuencas hidrográficas; manejo de cuencas; junta de agua; recursos hídricos",
        "en": "watershed; river basin; watershed management; water board; water resources",
    },
    "6.6": {
        "es": "humedales; nacientes; fuentes de agua; protección de nacientes; ríos; quebradas; lagunas; acuíferos",
        "en": "wetlands; springs; water sources; rivers; streams; lakes; aquifers",
    },
    # 7 Affordable and clean energy
    "7": {
        "es": "energía; electricidad; eléctrica; energía eléctrica",
        "en": "energy; electricity; electric power; power",
    },
    "7.1": {
        "es": "electrificación rural; electrificación; conexión eléctrica; red eléctrica; tendido eléctrico; "
        "alumbrado público; luminarias; postes de luz; cocinas limpias; cocinas mejoradas",
        "en": "rural electrification; electrification; grid connection; power grid; power lines; street lighting; "
        "streetlights; clean cooking; improved cookstoves",
    },
    "7.2": {
        "es": "energía renovable; energías renovables; energía solar; paneles solares; placas solares; "
        "fotovoltaica; energía eólica; aerogeneradores; biogás; biodigestores; calentadores solares; "
        "minicentral hidroeléctrica",
        "en": "renewable energy; renewables; solar energy; solar panels; photovoltaic; solar power; wind power; "
        "wind turbines; biogas; biodigesters; solar water heaters; small hydropower",
    },
    "7.3": {
        "es": "eficiencia energética; ahorro energético; ahorro de energía; iluminación led; luminarias led; "
        "alumbrado led; focos led; consumo eléctrico",
        "en": "energy efficiency; energy saving; led lighting; led lamps; led streetlights; led bulbs; "
        "power consumption; energy audit",
    },
    # 8 Decent work and economic growth
    "8": {
        "es": "empleo; trabajo; empleo digno; desarrollo económico; economía local; crecimiento económico",
        "en": "employment; jobs; decent work; economic development; local economy; economic growth",
    },
    "8.3": {
        "es": "emprendimiento; emprendedores; microempresas; pequeñas empresas; pymes; mipymes; "
        "economía informal; formalización; créditos productivos; incubadora de empresas; feria de emprendedores",
        "en": "entrepreneurship; entrepreneurs; microenterprises; small businesses; smes; informal economy; "
        "formalisation; business incubator; small business loans",
    },
    "8.5": {
        "es": "bolsa de empleo; oficina de empleo; inserción laboral; feria de empleo; empleo local; "
        "puestos de trabajo; mano de obra local; personas con discapacidad empleo",
        "en": "job centre; employment office; job placement; job fair; local jobs; job creation; local labour",
    },
    "8.6": {
        "es": "empleo juvenil; jóvenes desempleados; primer empleo; ni estudian ni trabajan; pasantías; aprendices",
        "en": "youth employment; unemployed youth; first job; internships; apprenticeships; neet",
    },
    "8.7": {
        "es": "trabajo infantil; erradicación del trabajo infantil; trata de personas",
        "en": "child labour; child labor; human trafficking; forced labour",
    },
    "8.8": {
        "es": "derechos laborales; seguridad laboral; salud ocupacional; trabajadores migrantes",
        "en": "labour rights; occupational safety; workplace safety; migrant workers",
    },
    "8.9": {
        "es": "turismo; turismo sostenible; turismo comunitario; ruta turística; turistas; ecoturismo; "
        "artesanía; artesanos; promoción turística",
        "en": "tourism; sustainable tourism; community tourism; tourist route; tourists; ecotourism; crafts; "
        "artisans; tourism promotion",
    },
    "8.10": {
        "es": "inclusión financiera; cajas de ahorro; cooperativa de ahorro; servicios bancarios; cajero automático",
        "en": "financial inclusion; savings groups; credit union; banking services; atm",
    },
    # 9 Industry, innovation and infrastructure
    "9": {
        "es": "infraestructura; innovación; industria; tecnología",
        "en": "infrastructure; innovation; industry; technology",
    },
    "9.1": {
        "es": "caminos rurales; carreteras; carretera; vías; puente; puentes; pavimentación; asfaltado; "
        "mantenimiento vial; caminos vecinales; obras viales; terminal de buses; mercado municipal",
        "en": "rural roads; roads; highway; bridge; bridges; paving; road maintenance; road works; "
        "feeder roads; bus terminal",
    },
    "9.2": {
        "es": "industria local; agroindustria; parque industrial; zona industrial; manufactura",
        "en": "local industry; agro-industry; industrial park; manufacturing",
    },
    "9.3": {
        "es": "acceso al crédito para pequeñas industrias; cadenas de valor",
        "en": "credit for small industries; value chains",
    },
    "9.5": {
        "es": "investigación; innovación tecnológica; ciencia; laboratorio de innovación",
        "en": "research; technological innovation; science; innovation lab",
    },
    "9.c": {
        "es": "internet; conectividad; wifi; wi-fi; banda ancha; fibra óptica; telefonía móvil; "
        "zonas wifi gratuitas; puntos de acceso a internet; cobertura celular; antena",
        "en": "internet; connectivity; wifi; wi-fi; broadband; fibre optic; mobile coverage; free wifi; "
        "internet access points; cell coverage",
    },
    # 10 Reduced inequalities
    "10": {
        "es": "desigualdad; desigualdades; inclusión social; equidad; grupos excluidos; discriminación",
        "en": "inequality; inequalities; social inclusion; equity; excluded groups; discrimination",
    },
    "10.2": {
        "es": "personas con discapacidad; discapacidad; accesibilidad; rampas; pueblos indígenas; indígenas; "
        "afrodescendientes; lgbti; adultos mayores; personas mayores; inclusión",
        "en": "persons with disabilities; disability; accessibility; ramps; indigenous peoples; indigenous; "
        "afro-descendants; lgbti; older persons; elderly; inclusion",
    },
    "10.3": {
        "es": "igualdad de oportunidades; no discriminación; lenguaje de señas",
        "en": "equal opportunities; non-discrimination; sign language",
    },
    "10.7": {
        "es": "migrantes; migración; refugiados; retornados; población migrante",
        "en": "migrants; migration; refugees; returnees; migrant population",
    },
    # 11 Sustainable cities and communities
    "11": {
        "es": "ciudad; ciudades; urbano; urbana; barrios; comunidades; asentamientos",
        "en": "city; cities; urban; neighbourhoods; neighborhoods; communities; settlements",
    },
    "11.1": {
        "es": "vivienda; viviendas; vivienda social; mejoramiento de vivienda; asentamientos informales; "
        "tugurios; precarios; lotes con servicios; techo digno; piso firme",
        "en": "housing; homes; social housing; affordable housing; housing improvement; informal settlements; "
        "slums; slum upgrading",
    },
    "11.2": {
        "es": "transporte público; transporte; buses; autobuses; paradas de bus; ciclovías; ciclovía; bicicletas; "
        "movilidad; movilidad urbana; aceras; veredas peatonales; transporte escolar",
        "en": "public transport; public transit; transport; buses; bus stops; cycle lanes; bike lanes; bicycles; "
        "mobility; urban mobility; sidewalks; pavements; school transport",
    },
    "11.3": {
        "es": "ordenamiento territorial; plan de ordenamiento; planificación urbana; catastro; "
        "presupuesto participativo; plan de desarrollo urbano; uso del suelo",
        "en": "land use planning; urban planning; zoning; cadastre; participatory budgeting; master plan; land use",
    },
    "11.4": {
        "es": "patrimonio cultural; patrimonio; centro histórico; casa de la cultura; museo; restauración",
        "en": "cultural heritage; heritage; historic centre; cultural centre; museum; restoration",
    },
    "11.5": {
        "es": "gestión de riesgos; gestión del riesgo; riesgo de desastres; desastres; inundaciones; "
        "deslizamientos; terremotos; sismos; alerta temprana; protección civil; bomberos; "
        "plan de emergencia; muros de contención; damnificados; evacuación",
        "en": "risk management; disaster risk; disasters; floods; flooding; landslides; earthquakes; early warning; "
        "civil protection; firefighters; emergency plan; retaining walls; evacuation",
    },
    "11.6": {
        "es": "residuos sólidos; recolección de basura; basura; relleno sanitario; botadero; calidad del aire; "
        "contaminación del aire; aseo urbano; limpieza de calles",
        "en": "solid waste; waste collection; garbage; rubbish; landfill; dump; air quality; air pollution; "
        "street cleaning",
    },
    "11.7": {
        "es": "espacios públicos; espacio público; parque; parques; plazas; plaza; áreas verdes; zonas verdes; "
        "canchas deportivas; polideportivo; parque infantil; juegos infantiles; iluminación de parques",
        "en": "public spaces; public space; park; parks; squares; plaza; green areas; green spaces; playground; "
        "sports fields; sports centre",
    },
    # 12 Responsible consumption and production
    "12": {
        "es": "consumo responsable; producción sostenible; consumo sostenible",
        "en": "responsible consumption; sustainable production; sustainable consumption",
    },
    "12.3": {
        "es": "desperdicio de alimentos; pérdida de alimentos",
        "en": "food waste; food loss",
    },
    "12.4": {
        "es": "residuos peligrosos; productos químicos; pilas usadas; residuos electrónicos; agroquímicos",
        "en": "hazardous waste; chemicals; batteries; e-waste; electronic waste; pesticides",
    },
    "12.5": {
        "es": "reciclaje; reciclar; separación de residuos; separación en la fuente; compostaje; compost; "
        "reutilización; economía circular; recicladores; plásticos de un solo uso; punto limpio",
        "en": "recycling; recycle; waste separation; waste sorting; composting; compost; reuse; circular economy; "
        "waste pickers; single-use plastics",
    },
    "12.7": {
        "es": "compras públicas sostenibles; contratación pública sostenible",
        "en": "sustainable public procurement; green procurement",
    },
    "12.8": {
        "es": "educación ambiental; conciencia ambiental; sensibilización ambiental",
        "en": "environmental education; environmental awareness",
    },
    # 13 Climate action
    "13": {
        "es": "cambio climático; clima; climático; climática; calentamiento global",
        "en": "climate change; climate; global warming",
    },
    "13.1": {
        "es": "adaptación al cambio climático; resiliencia climática; sequía; sequías; eventos climáticos extremos; "
        "fenómeno del niño; olas de calor",
        "en": "climate adaptation; adaptation to climate change; climate resilience; drought; droughts; "
        "extreme weather; heat waves",
    },
    "13.2": {
        "es": "plan de acción climática; emisiones; gases de efecto invernadero; huella de carbono; "
        "mitigación; carbono neutral; inventario de emisiones",
        "en": "climate action plan; emissions; greenhouse gases; carbon footprint; mitigation; carbon neutral; "
        "emissions inventory",
    },
    "13.3": {
        "es": "educación climática; sensibilización sobre cambio climático",
        "en": "climate education; climate awareness",
    },
    # 14 Life below water
    "14": {
        "es": "océanos; mar; marino; marina; costa; costera; playas; pesca; pesquero",
        "en": "ocean; oceans; sea; marine; coast; coastal; beaches; fisheries; fishing",
    },
    "14.1": {
        "es": "contaminación marina; limpieza de playas; basura marina; plásticos en el mar",
        "en": "marine pollution; beach clean-up; marine litter; ocean plastic",
    },
    "14.2": {
        "es": "manglares; arrecifes; corales; ecosistemas costeros; zona costera",
        "en": "mangroves; reefs; coral reefs; coastal ecosystems; coastal zone",
    },
    "14.4": {
        "es": "pesca sostenible; sobrepesca; veda; pesca artesanal",
        "en": "sustainable fishing; overfishing; fishing ban; artisanal fishing",
    },
    "14.5": {
        "es": "áreas marinas protegidas; reserva marina",
        "en": "marine protected areas; marine reserve",
    },
    # 15 Life on land
    "15": {
        "es": "biodiversidad; ecosistemas; naturaleza; medio ambiente; ambiental",
        "en": "biodiversity; ecosystems; nature; environment; environmental",
    },
    "15.1": {
        "es": "áreas protegidas; reserva natural; parque nacional; conservación",
        "en": "protected areas; nature reserve; national park; conservation",
    },
    "15.2": {
        "es": "reforestación; bosques; bosque; árboles; plantación de árboles; viveros forestales; "
        "deforestación; tala ilegal; incendios forestales; arborización",
        "en": "reforestation; forests; forest; trees; tree planting; tree nursery; deforestation; illegal logging; "
        "forest fires; afforestation",
    },
    "15.3": {
        "es": "degradación del suelo; erosión; desertificación; recuperación de suelos; conservación de suelos",
        "en": "land degradation; soil erosion; desertification; soil restoration; soil conservation",
    },
    "15.5": {
        "es": "fauna; flora; especies amenazadas; vida silvestre; aves; especies nativas; polinizadores; abejas",
        "en": "wildlife; fauna; flora; threatened species; endangered species; birds; native species; "
        "pollinators; bees",
    },
    "15.8": {
        "es": "especies invasoras; especies exóticas",
        "en": "invasive species; alien species",
    },
    # 16 Peace, justice and strong institutions
    "16": {
        "es": "paz; justicia; instituciones; gobernanza; convivencia",
        "en": "peace; justice; institutions; governance; coexistence",
    },
    "16.1": {
        "es": "seguridad ciudadana; violencia; delincuencia; delitos; homicidios; policía municipal; "
        "cámaras de vigilancia; videovigilancia; prevención del delito; pandillas",
        "en": "public safety; community safety; violence; crime; homicides; municipal police; cctv; "
        "surveillance cameras; crime prevention; gangs",
    },
    "16.2": {
        "es": "maltrato infantil; abuso infantil; protección de la niñez; explotación sexual infantil",
        "en": "child abuse; child protection; child sexual exploitation",
    },
    "16.3": {
        "es": "acceso a la justicia; mediación; conciliación; resolución de conflictos; casa de justicia; "
        "asesoría legal gratuita",
        "en": "access to justice; mediation; conflict resolution; legal aid; justice centre",
    },
    "16.5": {
        "es": "corrupción; anticorrupción; integridad; soborno",
        "en": "corruption; anti-corruption; integrity; bribery",
    },
    "16.6": {
        "es": "transparencia; rendición de cuentas; gobierno abierto; gobierno digital; trámites en línea; "
        "ventanilla única; gestión municipal; modernización administrativa; datos abiertos; "
        "portal de transparencia; control interno; sistema de gestión",
        "en": "transparency; accountability; open government; digital government; e-government; online services; "
        "one-stop shop; public management; administrative modernisation; open data; transparency portal",
    },
    "16.7": {
        "es": "participación ciudadana; cabildo abierto; consulta ciudadana; consejos comunitarios; "
        "juntas vecinales; asambleas comunitarias",
        "en": "citizen participation; public participation; town hall meeting; public consultation; "
        "neighbourhood councils; community assemblies",
    },
    "16.9": {
        "es": "registro civil; partidas de nacimiento; documentos de identidad; cédula; inscripción de nacimientos",
        "en": "civil registration; birth registration; birth certificates; identity documents; id cards",
    },
    "16.10": {
        "es": "acceso a la información; información pública; libertad de prensa",
        "en": "access to information; public information; freedom of the press",
    },
    # 17 Partnerships
    "17": {
        "es": "alianzas; alianza; cooperación; convenio; convenios; cooperación internacional; hermanamiento",
        "en": "partnerships; partnership; cooperation; agreement; international cooperation; twinning",
    },
    "17.1": {
        "es": "recaudación; impuestos municipales; impuesto predial; ingresos propios; recaudación tributaria; "
        "catastro fiscal; tasas municipales",
        "en": "revenue collection; municipal taxes; property tax; own-source revenue; tax collection; local taxes",
    },
    "17.9": {
        "es": "fortalecimiento de capacidades; asistencia técnica internacional",
        "en": "capacity building; international technical assistance",
    },
    "17.17": {
        "es": "alianzas público-privadas; alianza público privada; mancomunidad; asociación de municipios; "
        "sector privado; sociedad civil; ong; donantes; cooperación descentralizada; cooperación sur-sur",
        "en": "public-private partnerships; public-private partnership; association of municipalities; "
        "private sector; civil society; ngos; donors; decentralised cooperation; south-south cooperation",
    },
    "17.18": {
        "es": "estadísticas; datos; censo; sistema de información; indicadores municipales",
        "en": "statistics; data; census; information system; municipal indicators",
    },
}


def lexicon_entries() -> list[tuple[int, str, str, str]]:
    """Every lexicon term as (goal, target code or "", language, term)."""
    rows: list[tuple[int, str, str, str]] = []
    for code, by_lang in LEXICON.items():
        goal = int(code.split(".")[0])
        target = code if "." in code else ""
        for lang, terms in by_lang.items():
            rows.extend((goal, target, lang, term.strip()) for term in terms.split(";") if term.strip())
    return rows
