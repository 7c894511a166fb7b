"""Regression tests per UA format, each on a snippet written for the test in that format.
Named after the problem they pin down."""
from __future__ import annotations

import datetime as dt

import pytest

from extractor import extract_text


def rec(text: str):
    return extract_text(text, path="snippet.txt")


def test_1990s_bulletin_header_index_expands_and_extra_series():
    r = rec("EXTERNAL (for general distribution)  AI Index: EUR 44/27/93\nDistr: UA/SC\n\n"
            "EXTRA 28/93        Fear of Torture        11 March 1993\n\nTURKEY:  Ahmet Yilmaz (m), aged 30\n\n"
            "Amnesty International is concerned for the safety of the man named above, who was detained on 4 March 1993.")
    assert (r.ua_series, r.ua_number, r.ai_index) == ("EXTRA", "28/93", "EUR 44/027/1993")
    assert r.issue_date == dt.date(1993, 3, 11)
    assert r.country == "Turkey" and [s.name for s in r.subjects] == ["Ahmet Yilmaz"]
    assert r.subjects[0].gender == "male" and r.subjects[0].description == "aged 30"


def test_further_information_brackets_belong_to_the_original_ua():
    r = rec("PUBLIC AI Index: ASA 31/090/2003\n\n27 November 2003\n\n"
            "Further Information on UA 278/03 (ASA 31/037/2003, 26 September 2003) Fear for safety\n\n"
            "NEPAL Ek Nath Chaulagain (m), aged 42, businessman\n\nHe was arrested on 11 September.")
    assert r.kind == "further_information" and r.ua_number == "278/03" and r.update_number is None
    assert r.ai_index == "ASA 31/090/2003" and r.issue_date == dt.date(2003, 11, 27)
    assert r.related_ua_numbers == []


def test_2017_template_ordinal_is_the_update_number():
    r = rec("URGENT ACTION\nURGENT ACTION TITLE: Honduras: Attack on activists\nPUBLICATION DATE: 5 July 2017\n"
            "URGENT ACTION TYPE AND NUMBER: THIRD UA 60/16\nINDEX NUMBER: AMR 37/6674/2017\n"
            "APPEAL DEADLINE NOTICE: 16 August 2017\n")
    assert (r.kind, r.ua_number, r.update_number) == ("further_information", "60/16", 3)
    assert r.ai_index == "AMR 37/6674/2017" and r.appeal_deadline == dt.date(2017, 8, 16)
    assert r.title == "Honduras: Attack on activists"


def test_first_ua_is_not_an_update_and_four_digit_index_keeps_leading_zero():
    r = rec("Urgent Action First UA: 54/19 Index: ASA 35/0273/2019 Philippines Date: 29 April 2019 URGENT ACTION")
    assert (r.kind, r.ua_number, r.update_number) == ("urgent_action", "54/19", None)
    assert r.ai_index == "ASA 35/0273/2019" and r.country == "Philippines"
    assert r.issue_date == dt.date(2019, 4, 29)


def test_web_dot_numbers_and_expiry_line():
    r = rec("Urgent Action Update: Prisoner at risk (Iran: UA 105.15)\n\n"
            "1. Please take action. This Urgent Action expires on June 1 2023.\n")
    assert (r.kind, r.ua_number, r.country) == ("further_information", "105/15", "Iran")
    assert r.appeal_deadline == dt.date(2023, 6, 1)


def test_example_ua_number_in_boilerplate_is_not_a_reference():
    r = rec("indique el número de la Acción Urgente (ej: AU 25/99).AcciónUrgenteAU: 258/09 Índice: AMR 34/012/2009 "
            "Fecha de emisión: 25 de septiembre de 2009AMENAZAS CONTRA UNA MUJER")
    assert r.ua_number == "258/09" and r.related_ua_numbers == []
    assert r.issue_date == dt.date(2009, 9, 25) and r.language == "es"


def test_french_header_unlabelled_index_and_deadline():
    r = rec("AU 292/12, AMR 37/012/2012, 1er octobre 2012 ENVOYEZ VOS APPELS AVANT LE 12 NOVEMBRE 2012 À : "
            "Vérifiez auprès de votre section s’il faut encore intervenir après la date indiquée ci-dessus. "
            "Le 27 août, la militante des droits humains Karla Zelaya a reçu des menaces de mort.")
    assert (r.ua_number, r.ai_index) == ("292/12", "AMR 37/012/2012")
    assert r.issue_date == dt.date(2012, 10, 1) and r.appeal_deadline == dt.date(2012, 11, 12)
    assert r.language == "fr"


def test_blog_posting_date_with_weekday_is_not_the_issue_date():
    r = rec("Sunday, October 31, 2010\n\nUrgent Action 10-29-10\n\n29 October 2010\n\nUA 229/10 Risk of Forced Eviction\n")
    assert r.issue_date == dt.date(2010, 10, 29) and r.ua_number == "229/10"


def test_deadline_label_wrapped_onto_the_next_line():
    r = rec("UA 212/03 Fear of torture 18 July 2003\nCheck with the International Secretariat if sending appeals after\n"
            "29 August 2003.\n")
    assert r.appeal_deadline == dt.date(2003, 8, 29)


def test_year_less_deadline_takes_the_issue_year_and_warns():
    r = rec("UA: 57/16 Index: EUR 46/3643/2016 Issue Date: 31 March 2016\nPLEASE SEND APPEALS BEFORE 12 MAY TO:\n")
    assert r.appeal_deadline == dt.date(2016, 5, 12)
    assert any("year inferred" in w for w in r.warnings)


def test_addressee_blocks_faxes_split_and_salutation():
    r = rec("PLEASE SEND APPEALS BEFORE 12 MAY 2016 TO:\n\nChairman of the Investigation Committee\n"
            "Aleksandr Ivanovich Bastrykin\nInvestigation Committee of the Russian Federation\n"
            "Tekhnicheskii pereulok, dom 2\n105005 Moscow, Russian Federation\n"
            "Fax: +7499 265 90 77/ +7499 265 97 75\nSalutation: Dear Chairman\n\n"
            "Please check with your section office if sending appeals after the above date.\n")
    (a,) = r.recipients
    assert a.name == "Aleksandr Ivanovich Bastrykin" and a.role == "addressee"
    assert a.title == "Chairman of the Investigation Committee"
    assert a.fax == ["+74992659077", "+74992659775"] and a.salutation == "Dear Chairman"
    assert a.address_lines == ["Tekhnicheskii pereulok, dom 2", "105005 Moscow, Russian Federation"]


def test_flattened_web_block_with_separator_I_and_obfuscated_email():
    r = rec("2. Write a letter to one or both government officials listed. You can also email them.\n"
            "Ambassador Dmitry Basik Embassy of Belarus 1619 New Hampshire Ave NW, Washington DC 20009 "
            "Phone: 202 986 9420 I Fax: 202 986 1805 Email: [email protected] Salutation: Dear Ambassador\n\n"
            "SAMPLE LETTER Dear Ambassador,\n")
    (a,) = r.recipients
    assert a.name == "Dmitry Basik" and a.organization == "Embassy of Belarus"
    assert a.phone == ["+12029869420"] and a.fax == ["+12029861805"] and a.email == []
    assert a.address_lines == ["1619 New Hampshire Ave NW, Washington DC 20009"]


def test_copy_recipient_inline_after_also_send_copies():
    r = rec("Salutation: Dear Prosecutor General\n\nAlso send copies to diplomatic representatives accredited to your "
            "country. EXCELLENCY MR ALEXANDER V. YAKOVENKO, Embassy of the Russian Federation, 13 Kensington Palace "
            "Gardens, London W8 4QX tel: 020 7229 3620 email: info@rusemb.org.uk\n\nPlease check with your section.\n")
    (c,) = r.recipients
    assert (c.role, c.name) == ("copy", "Alexander V. Yakovenko")
    assert c.phone == ["+442072293620"] and c.email == ["info@rusemb.org.uk"] and c.country == "GB"


def test_letter_head_block_without_appeal_heading():
    r = rec("Hamada al-Sawi,\nOffice of the Public Prosecutor\nMadinat al-Rehab\n\n\nFax: (00 202) 2577 4716\n\n"
            "Solafa Magdy, Hossam el-Sayed and Mohamed Salah\n\nDear Counsellor,\n\nOn 10 March 2020, the Egyptian "
            "authorities suspended all prison visits.\n")
    assert [x.name for x in r.recipients] == ["Hamada al-Sawi"]
    assert r.recipients[0].fax == ["+20225774716"]
    assert [s.name for s in r.subjects] == ["Solafa Magdy", "Hossam el-Sayed", "Mohamed Salah"]
    assert r.kind == "other" and r.country == "Egypt"


def test_shared_surname_and_lost_letters_in_a_1990s_name_block():
    r = rec("EXTRA 28/93 Fear of Torture 11 March 1993\nTURKEY: 17 members of an extended family:\nFrom Nusaybin:\n"
            "Mohamed Ali Akgül\nhis uncle and aunt, Ahmet and Nicuda Demir (female)\n_ahid Aksan }\n"
            "Sranaz Aksan and his two sons\nHac_ (family name not known)\nand his daughter\nFrom Do_ançay:\n"
            "Hasan Demir, another uncle of Mohamed Ali Akgül\n"
            "Amnesty International is concerned for the safety of the above 17 members of an extended family.\n")
    assert [s.name for s in r.subjects] == ["Mohamed Ali Akgül", "Ahmet Demir", "Nicuda Demir", "_ahid Aksan",
                                             "Sranaz Aksan", "Hasan Demir"]


def test_not_a_ua_has_no_invented_values():
    r = rec("Our local group meets on the first Tuesday of every month. Bring cakes for the sale on 3 June.")
    assert r.kind == "other"
    assert (r.ua_number, r.ai_index, r.issue_date, r.appeal_deadline) == (None, None, None, None)
    assert r.recipients == [] and r.subjects == []


@pytest.mark.parametrize("model", ["blank"])
def test_without_a_model_every_record_warns(model):
    from extractor.settings import Settings

    r = extract_text("UA 12/20 Fear of torture 1 May 2020", settings=Settings(model=model))
    assert r.ua_number == "12/20" and r.mentions.persons == []
    assert any("no spaCy model" in w for w in r.warnings)


def test_flattened_block_title_ending_in_a_country_then_street():
    r = rec("Write a letter to one or both government officials listed.\n"
            "Andrey Shved Prosecutor General of the Republic of Belarus Vul. Internatsianalnaya, 22 220030 Minsk, "
            "Belarus Email: [email protected] Twitter: @prokuraturaby\n\nSAMPLE LETTER Dear Prosecutor General,\n")
    (a,) = r.recipients
    assert a.name == "Andrey Shved" and a.title == "Prosecutor General of the Republic of Belarus"
    assert a.address_lines == ["Vul. Internatsianalnaya, 22 220030 Minsk, Belarus"] and a.country == "BY"


def test_postcode_run_of_digits_is_not_an_unlabelled_phone():
    r = rec("APPEALS TO:\nMinister of Justice\nAli Reza Karimi\nKhayyam Street\nTehran 1116713711, Iran\n"
            "Salutation: Your Excellency\n\nPlease check with your section.\n")
    (a,) = r.recipients
    assert a.phone == [] and a.address_lines == ["Khayyam Street", "Tehran 1116713711, Iran"]


def test_bracketed_reference_wrapped_to_a_line_start_is_not_the_own_number():
    r = rec("EXTERNAL (for general distribution) AI Index: AMR 34/43/92\nDistr: UA/SC\n"
            "UA 313/92 Death Threats/Intimidation 8 October 1992\nGUATEMALA: Members of the AEU\n"
            "Hunapú were responsible for the killing on 10 April 1992 of student Julio Cu Quim (see\n"
            "UA 123/92, AMR 34/16/92, 15 April and AMR 34/16/92, 28 April 1992).\n")
    assert (r.ua_number, r.ai_index) == ("313/92", "AMR 34/043/1992")
    assert r.related_ua_numbers == ["123/92"] and r.warnings == []
    assert r.subjects == []  # killed: background, not a person at risk
    assert r.title == "Death Threats/Intimidation"


def test_salutation_stops_at_the_next_capitalised_label():
    r = rec("TARGET'S CONTACT DETAILS\nMinister of Justice\nAli Reza Karimi\nKhayyam Street, Tehran, Iran\n"
            "Salutation: Your Excellency PREFERRED LANGUAGE TO ADDRESS TARGET: Persian\n")
    assert r.recipients[0].salutation == "Your Excellency"


def test_2014_international_secretariat_layout_and_copies_to_an_organisation():
    r = rec("UA: 229/14 Index: AMR 23/030/2014 Colombia\nDate: 11 September 2014\nURGENT ACTION\n"
            "HUMAN RIGHTS DEFENDERS THREATENED WITH DEATH\n"
            "Trade unionist Luz Marina Hache and lawyer Ramiro Orjuela were among those threatened.\n"
            "PLEASE SEND APPEALS BEFORE 23 OCTOBER 2014 TO:\nPresident\nJuan Manuel Santos\n"
            "Palacio de Nariño, Carrera 8 No.7-26\nBogotá, Colombia\nFax: +57 1 596 0631\n"
            "Salutation: Dear President Santos/Excmo. Sr. Presidente Santos\nAnd copies to:\n"
            "Human rights organization\nComisión Intereclesial de Justicia y Paz\nCarrera 37A No.25-72\n"
            "Bogotá, Colombia\nEmail: justiciaypaz@etb.net.co\n"
            "Please check with your section office if sending appeals after the above date.\n")
    assert [s.name for s in r.subjects] == ["Luz Marina Hache", "Ramiro Orjuela"]
    president, copy = r.recipients
    assert president.address_lines == ["Palacio de Nariño, Carrera 8 No.7-26", "Bogotá, Colombia"]
    assert president.title == "President" and president.fax == ["+5715960631"]
    assert copy.role == "copy" and copy.email == ["justiciaypaz@etb.net.co"]


def test_1990s_email_box_bulletin_expiry_is_the_deadline():
    r = rec("+------------------------------------------------------+\n"
            "+ This bulletin expires: 23 June 1993                  +\n"
            "+------------------------------------------------------+\n"
            "EXTERNAL (for general distribution) AI Index: EUR 44/41/93\nDistr: UA/SC\n"
            "UA 151/93 Fear of torture 12 May 1993\n")
    assert r.appeal_deadline == dt.date(1993, 6, 23) and r.issue_date == dt.date(1993, 5, 12)


def test_flattened_french_blocks_end_their_salutation_at_the_comma():
    r = rec("AU 150/14, EUR 57/004/2014, 10 juillet 2014 ENVOYEZ VOS APPELS AVANT LE 21 AOÛT 2014 À : Le militant "
            "syndical Karim Ospanov est détenu. Écrivez immédiatement en russe. Procureur général Serik Tulegenov "
            "Bureau du procureur général 14 rue Seifoullin Astana 010000, Kazakhstan Fax : +7 7172 71 28 93 "
            "Courriel : priemnaya@genprok.kz Formule d’appel : Monsieur le Procureur général, Président du Comité "
            "de sécurité nationale Nurlan Abenov 33 avenue de la République Astana 010000, Kazakhstan Fax : "
            "+7 7172 76 15 42 Formule d’appel : Monsieur le Président, Copies à : Ambassade du Kazakhstan S. E. "
            "Monsieur Almat Ibrayev Avenue Van Bever 30 1180 Bruxelles Fax : 02 374 50 91\n")
    names = [(x.role, x.name) for x in r.recipients]
    assert names == [("addressee", "Serik Tulegenov"), ("addressee", "Nurlan Abenov"), ("copy", "Almat Ibrayev")]
    assert [x.salutation for x in r.recipients[:2]] == ["Monsieur le Procureur général", "Monsieur le Président"]
    assert r.recipients[0].fax == ["+77172712893"] and r.recipients[0].email == ["priemnaya@genprok.kz"]


def test_flattened_block_with_the_title_before_the_name():
    r = rec("Write a letter to one or both government officials listed.\n"
            "Minister of Public Security Tran Van Binh Ministry of Public Security 44 Yet Kieu Street, Hoan Kiem "
            "District Ha Noi, Viet Nam Fax: +84 24 3942 0223 Salutation: Dear Minister\n\nSAMPLE LETTER\n")
    (a,) = r.recipients
    assert (a.name, a.title, a.organization) == ("Tran Van Binh", "Minister of Public Security",
                                                 "Ministry of Public Security")
    assert a.address_lines == ["44 Yet Kieu Street, Hoan Kiem District Ha Noi, Viet Nam"]


@pytest.mark.parametrize(("text", "update"), [
    ("PUBLIC AI Index: ASA 31/151/2004\n\nSECOND Further Information on UA 198/04 (ASA 31/120/2004)\n", 2),
    ("Acción complementaria. Esta es la primera actualización de la AU 80/13.\n", 1),
])
def test_ordinal_before_further_information_counts_updates(text, update):
    r = rec(text)
    assert r.kind == "further_information" and r.update_number == update


def test_1990s_numbered_appeals_with_spaced_plus_and_ranks():
    r = rec("APPEALS TO:\n\n1) Minister of the Interior\nSr. Fernando Bento\nMinistério do Interior\n"
            "Avenida 4 de Fevereiro\nLuanda, Angola\nTelegrams: Ministro do Interior, Luanda, Angola\n"
            "Faxes: + 244 2 39 51 28\nSalutation: Dear Minister\n\n2) Provincial Police Commander, Huambo\n"
            "Comandante Joaquim Mbandi\nComando Provincial da Polícia Nacional\nRua José Martí\nHuambo, Angola\n"
            "Salutation: Dear Commander\n\nPLEASE SEND APPEALS IMMEDIATELY.\n")
    first, second = r.recipients
    assert (first.name, first.organization, first.fax) == ("Fernando Bento", "Ministério do Interior", ["+2442395128"])
    assert first.address_lines == ["Avenida 4 de Fevereiro", "Luanda, Angola"]
    assert second.name == "Joaquim Mbandi" and second.salutation == "Dear Commander"


def test_one_word_name_with_a_gender_marker_and_released_list():
    r = rec("EXTERNAL (for general distribution) AI Index: ASA 21/11/95\nDistr: UA/SC\n27 April 1995\n"
            "Further information on EXTRA 17/95 (ASA 21/05/95, 9 March 1995) - Fear of torture\n\n"
            "INDONESIA:   Budi Santoso HADIWIJAYA, aged 33, labour organizer\n\n"
            "Released:    Yohanes SITORUS, aged 26, factory worker\n             WARTINI (f), aged 22, factory worker\n\n"
            "Yohanes Sitorus and Wartini were released without charge on 18 April 1995.\n")
    assert [s.name for s in r.subjects] == ["Budi Santoso Hadiwijaya", "Yohanes Sitorus", "Wartini"]
    assert (r.ua_series, r.ua_number, r.kind) == ("EXTRA", "17/95", "further_information")


def test_flattened_header_with_capitalised_surnames_and_roles():
    r = rec("EXTERNAL (for general distribution) AI Index: AMR 36/32/93 Distr: UA/SC UA 247/93 Fear for safety "
            "3 August 1993 HAITI: Jean-Robert DÉSIR, aged 40, journalist, Radio Solèy Leve Marie-Claude ÉTIENNE "
            "(f), aged 33, journalist, Radio Solèy Leve Frantz AUGUSTIN, aged 27, technician Amnesty International "
            "is seriously concerned for the safety of the three people named above. " + "Background. " * 30)
    assert [s.name for s in r.subjects] == ["Jean-Robert Désir", "Marie-Claude Étienne", "Frantz Augustin"]


def test_address_lines_and_organisations_are_not_people():
    r = rec("Three activists from the youth group Green Mekong Youth were arrested. Sok Chanthy, Meas Rathana and "
            "Chhun Vuthy are being held in pre-trial detention.\nPLEASE SEND APPEALS BEFORE 2 OCTOBER 2020\n"
            "Please write urgently in English or Khmer to:\nChea Sovann\nMinister of Justice\n"
            "No. 14 Sothearos Boulevard\nSangkat Chaktomuk, Khan Daun Penh\nPhnom Penh, Cambodia\n"
            "Salutation: Dear Minister\n")
    assert [s.name for s in r.subjects] == ["Sok Chanthy", "Meas Rathana", "Chhun Vuthy"]
    assert r.recipients[0].name == "Chea Sovann"


def test_role_word_before_a_name_is_not_part_of_it():
    r = rec("Blogger Le Dinh Quang has been held incommunicado since his arrest in Ha Noi on 14 February 2018.")
    assert [s.name for s in r.subjects] == ["Le Dinh Quang"]


def test_two_officials_side_by_side_flattened_row_by_row():
    r = rec("TAKE ACTION: 1. Write a letter to one or both government officials listed. You can also email, fax, "
            "call or Tweet them. 2. Click here to let us know the actions you took on Urgent Action 61.19. "
            "General Ramon Dela Cruz H.E. Maria Teresa Santos Chief, National Police Embassy of the Republic of the "
            "Philippines Camp Crame, Quezon City 1600 Massachusetts Ave. NW, Washington DC 20036 Phone: 202 467 9300 "
            "1111 Philippines Fax: 202 467 9417 Fax: +632 8724 8749 Salutation: Dear Ambassador Dear General "
            "Dela Cruz, I am writing to you.")
    official, embassy = r.recipients
    assert (official.name, embassy.name) == ("Ramon Dela Cruz", "Maria Teresa Santos")
    assert official.fax == ["+63287248749"] and embassy.fax == ["+12024679417"]
    assert embassy.address_lines == ["1600 Massachusetts Ave. NW, Washington DC 20036"]
    assert embassy.salutation == "Dear Ambassador" and official.salutation is None


def test_pdf_joined_lines_two_marked_names_and_an_appeal_heading_running_into_the_name():
    r = rec("UA 345/03 Fear for safety 20 February 2004\n\nNEPAL Tara Bhandari (f), aged 26, factory worker\n"
            "Sujindra Maharjan (m), aged 30, council worker Shomsher Rupakheti (m), aged 31\n\n"
            "Amnesty International has been informed that they are held in army barracks since November.\n"
            "Please write urgently in your own words or in English to: Alexander Bastrykin\n"
            "Chairman of the Investigative Committee\nTekhnichesky per. 2\n105005 Moscow\n"
            "Online form in English:\nhttps://en.sledcom.ru/reception\nSalutation: Dear Chairman\n")
    assert [s.name for s in r.subjects] == ["Tara Bhandari", "Sujindra Maharjan", "Shomsher Rupakheti"]
    assert [x.name for x in r.recipients] == ["Alexander Bastrykin"]


def test_a_title_after_the_name_on_the_same_line_starts_at_its_article():
    r = rec("Contact these two officials by 29 March, 2018:\n\nKing and Prime Minister\n"
            "His Majesty King Salman bin Abdul Aziz Al Saud The Custodian of the two Holy Mosques\n"
            "Office of His Majesty the King\nRoyal Court, Riyadh\nKingdom of Saudi Arabia\nSalutation: Your Majesty\n")
    assert [x.name for x in r.recipients] == ["Salman bin Abdul Aziz Al Saud"]


def test_other_uas_listed_in_a_sidebar_or_mail_navigation_are_not_related():
    r = rec("UA 118/06 Fear of torture 5 May 2006\nAmnesty fears for him (see UA 98/06).\n\nPrevious Posts\n"
            "UA 112/06 Iran: Fear of imminent execution\nUA 109/06 Mexico: Fear for safety\n"
            "Next message: AI UA 164/06 NIGERIA Health concern\n")
    assert r.ua_number == "118/06" and r.related_ua_numbers == ["98/06"]


def test_update_counted_in_words_without_a_number_beside_it():
    r = rec("Further information on UA 61/12 Fear of torture 3 May 2012\nThis is the first update of UA 61/12.\n")
    assert (r.kind, r.update_number) == ("further_information", 1)


def test_spanish_text_layer_with_every_accented_letter_dropped():
    r = rec("AU: 158/12 ndice: AMR 44/003/2012 Panam Fecha: 29 de mayo de 2012\nACCIN URGENTE\n"
            "ENVEN LLAMAMIENTOS ANTES DEL 10 DE JULIO DE 2012 A:\nMinistro de Gobierno\n"
            "Sr. Julio Csar Montenegro brego\nMinisterio de Gobierno\nAvenida Central, Edificio Encuentro\n"
            "Ciudad de Panam, Panam\nFax: +507 512 2126\nTratamiento: Seor Ministro\n")
    assert r.appeal_deadline == dt.date(2012, 7, 10)
    (a,) = r.recipients
    assert a.name == "Julio Csar Montenegro brego" and a.fax == ["+5075122126"]
    assert a.address_lines[0] == "Avenida Central, Edificio Encuentro" and a.salutation == "Seor Ministro"


def test_local_group_page_block_closed_by_a_salutation_and_a_copy_to():
    r = rec("This month we are writing for Ana Lopez. The case was the subject of an Urgent Action earlier this "
            "year. Please post your letters by 30 June 2021 so that we can report the total.\n\n"
            "Sr. Miguel Castro Ferrer\nPresidente de la República\nPalacio de la Revolución\nLa Habana, Cuba\n"
            "Email: despacho@presidencia.cu\nSalutation: Señor Presidente / Dear President\n\n"
            "Please also send a copy to:\nH.E. Ms Teresa Almeida\nEmbassy of the Republic of Cuba\n167 High Holborn\n"
            "London WC1V 6PA\nTel: 020 7240 2488\nFax: 020 7836 2602\n\nModel letter:\n\nSeñor Presidente,\n")
    assert r.kind == "other" and r.appeal_deadline == dt.date(2021, 6, 30)
    assert [(x.role, x.name) for x in r.recipients] == [("addressee", "Miguel Castro Ferrer"),
                                                       ("copy", "Teresa Almeida")]
    assert r.recipients[1].fax == ["+442078362602"] and r.recipients[1].phone == ["+442072402488"]


def test_foreign_numbers_as_a_us_page_dials_them():
    r = rec("APPEALS TO:\nPresident Islam Karimov\nRezidentsia Prezidenta\nul. Uzbekistanskaya 43\n"
            "Tashkent 700163, Uzbekistan\nFax: 011 998 71 139 53 25\nSalutation: Dear President\n\n"
            "PLEASE SEND APPEALS IMMEDIATELY.\n")
    assert r.recipients[0].fax == ["+998711395325"]


def test_plural_role_word_before_a_list_of_names():
    r = rec("Student activists Sirawit Chaiyaporn and Natthida Boonprasert face up to seven years in prison.")
    assert [s.name for s in r.subjects] == ["Sirawit Chaiyaporn", "Natthida Boonprasert"]


def test_flattened_blocks_where_the_salutation_runs_into_the_next_title():
    r = rec("PLEASE SEND APPEALS BEFORE 2 JANUARY TO: Mayor of Uzhhorod Viktor Ivanovych Pohorilyi Uzhhorod City "
            "Council pl. Poshtova 3 Uzhhorod 88000, Ukraine Fax: +380 312 61 70 43 Salutation: Dear Mayor Prosecutor "
            "General Oleksandr Mykolayovych Shevchuk Prosecutor General's Office vul. Riznytska 13/15 Kyiv 01011, "
            "Ukraine Fax: +380 44 280 26 03 Salutation: Dear Prosecutor General And copies to: Ombudsperson "
            "Valentyna Petrivna Lysenko Office of the Commissioner for Human Rights vul. Instytutska 21/8 Kyiv 01008, "
            "Ukraine Email: hotline@ombudsman.ua Also send copies to diplomatic representatives accredited to your "
            "country. Please check with your section office if sending appeals after the above date.")
    assert [(x.role, x.name, x.salutation) for x in r.recipients] == [
        ("addressee", "Viktor Ivanovych Pohorilyi", "Dear Mayor"),
        ("addressee", "Oleksandr Mykolayovych Shevchuk", "Dear Prosecutor General"),
        ("copy", "Valentyna Petrivna Lysenko", None)]


def test_name_after_a_title_with_organisation_and_a_place_after_an_organisation_line():
    r = rec("PLEASE SEND APPEALS BEFORE 2 MAY 2014 TO:\nCrown Prosecutor, Fez Court of Appeal\nAbdelhak Tazi Saoud\n"
            "Cour d'Appel de Fès\nAvenue Hassan II\nFez, Morocco\nSalutation: Dear Crown Prosecutor\n"
            "And copies to:\nOrganización Campesina Ñemity\nColonia Yvy Pytã\nCuruguaty, Paraguay\n"
            "Email: ocn@example.org\n\nPlease check with your section office.\n")
    assert [x.name for x in r.recipients] == ["Abdelhak Tazi Saoud", "Organización Campesina Ñemity"]
    assert r.recipients[1].address_lines == ["Colonia Yvy Pytã", "Curuguaty, Paraguay"]


def test_french_salutation_written_on_the_line_after_its_label():
    r = rec("ENVOYEZ VOS APPELS AVANT LE 4 JUIN 2013 À :\nHaut commandant de la Gendarmerie nationale\n"
            "Général Sékou Mara\nHaut commandement de la Gendarmerie nationale\nCamp Samory Touré\nConakry, Guinée\n"
            "Formule d’appel :\nMon Général,\n\nVérifiez auprès de votre section.\n")
    (a,) = r.recipients
    assert (a.name, a.salutation) == ("Sékou Mara", "Mon Général")
    assert a.address_lines == ["Camp Samory Touré", "Conakry, Guinée"]


def test_names_list_wrapping_onto_the_next_line_and_kinship_in_a_name_line():
    r = rec("ADDITIONAL INFORMATION\nNames: Youssef El Amrani, Hamza Bouzidi, Salma\nOuazzani (f)\nGender m/f: both\n")
    assert [s.name for s in r.subjects] == ["Youssef El Amrani", "Hamza Bouzidi", "Salma Ouazzani"]
    r = rec("UA 7/99 Fear of torture 12 January 1999\nKYRGYZSTAN: Bakyt ASANOV and his brother Nurlan ASANOV\n\n"
            "Amnesty International is concerned for the safety of the two brothers named above, held since May.\n")
    assert [s.name for s in r.subjects] == ["Bakyt Asanov", "Nurlan Asanov"]


def test_spanish_background_heading_is_not_a_further_information():
    r = rec("AU: 56/14 Índice: AFR 24/004/2014 Guinea Ecuatorial Fecha: 3 de abril de 2014\nACCIÓN URGENTE\n"
            "PERIODISTA DETENIDO\n\nINFORMACIÓN COMPLEMENTARIA\nEl periodista fue detenido en 2013.\n")
    assert r.kind == "urgent_action"


def test_tel_fax_is_both_and_an_office_without_a_person_is_named_by_its_line():
    r = rec("APPEALS TO:\nThe Director General, Gambia Prison Service\nMile 2 Central Prison\nBanjul, The Gambia\n"
            "Tel/Fax: +220 422 5352\nSalutation: Dear Director General\n\nPLEASE SEND APPEALS IMMEDIATELY.\n")
    (a,) = r.recipients
    assert a.name == "The Director General, Gambia Prison Service"
    assert a.phone == a.fax == ["+2204225352"]
    assert a.address_lines == ["Mile 2 Central Prison", "Banjul, The Gambia"]


def test_your_excellency_salutation_followed_by_the_next_block_on_a_flat_line():
    r = rec("Write to the officials listed.\nPrime Minister Tan Wee Liang Office of the Prime Minister Orchard Road "
            "Singapore 238823 Salutation: Your Excellency Minister for Home Affairs and Minister for Law Mr Kwek "
            "Siew Hoon Ministry of Home Affairs 28 Irrawaddy Road Singapore 329560 Salutation: Dear Minister\n")
    assert [(x.name, x.salutation) for x in r.recipients] == [("Tan Wee Liang", "Your Excellency"),
                                                            ("Kwek Siew Hoon", "Dear Minister")]


def test_names_with_several_particles_and_ayn_marks_spokespeople_and_newspapers_are_not_subjects():
    r = rec("Human rights defender Ana Lucía de la Rosa was detained on 3 May. Journalist Haidar al-Musawi, a "
            "correspondent for the daily al-Nahar al-Jadid, was arrested. \"He must be released,\" said Malcolm "
            "Hartley, Deputy Director of Amnesty International's Middle East Programme.")
    assert [s.name for s in r.subjects] == ["Ana Lucía de la Rosa", "Haidar al-Musawi"]
    r = rec("UA 158/96 Fear of torture 2 August 1996\nYEMEN: Ahmad bin Salim al-Kathiri\n"
            "Sa'id 'Awad bin Hubaysh\nFaysal al-'Amudi\nMariem mint Ahmedou (f)\n\n"
            "Amnesty International is concerned for the safety of the four people named above.\n")
    assert [s.name for s in r.subjects] == ["Ahmad bin Salim al-Kathiri", "Sa'id 'Awad bin Hubaysh",
                                             "Faysal al-'Amudi", "Mariem mint Ahmedou"]


def test_uas_listed_under_a_blog_archive_heading_are_not_related():
    r = rec("UA 178/06 Fear of torture 5 May 2006\nSee the earlier appeal (UA 150/06).\n\nPrevious Posts\n"
            "Urgent Action 8-22-06 (UA 221/06)\n")
    assert r.related_ua_numbers == ["150/06"]


def test_country_named_after_another_capitalised_word_or_only_by_its_capital():
    assert rec("Écrire Madagascar. Deux journalistes détenus en danger.\nLe 24 avril, ils ont été arrêtés.").country \
        == "Madagascar"
    assert rec("General Majok Thon,\nNational Security Service\nJebel Kujur Road, Juba\n\nDear General,\n").country \
        == "South Sudan"


def test_wrapped_title_and_name_lines_in_an_addressee_block():
    r = rec("PLEASE SEND APPEALS BEFORE 1 JULY 2015 TO:\nInspector General of Police\nLieutenant General Saif bin "
            "Hamad al-\nBusaidi\nRoyal Oman Police Headquarters\nMuscat, Oman\nSalutation: Dear Inspector General\n"
            "And copies to:\nMinister Responsible for Foreign\nAffairs\nYusuf bin Khalifa al-Harthy\n"
            "Ministry of Foreign Affairs\nMuscat, Oman\nEmail: fm@mofa.om\n\nPlease check with your section.\n")
    assert [x.name for x in r.recipients] == ["Saif bin Hamad al-Busaidi", "Yusuf bin Khalifa al-Harthy"]
    assert r.recipients[1].title == "Minister Responsible for Foreign Affairs"


def test_a_closing_sentence_ends_the_copies_block():
    r = rec("COPIES TO:\nComisión de Derechos Humanos\nCasilla 9235\nLa Paz, Bolivia\n"
            "and to diplomatic representatives of Bolivia accredited to your country.\n")
    assert r.recipients[0].address_lines == ["Casilla 9235", "La Paz, Bolivia"]


def test_glued_headline_possessives_and_media_names_are_not_people():
    r = rec("AMENAZAS DE MUERTE CONTRA UN DIRIGENTE INDÍGENA EN ARGENTINAAurelio Quintana, dirigente de la comunidad "
            "wichí, ha recibido amenazas de muerte. Rivo Andrianarisoa, rédacteur en chef de Radio Feon’ny Atsinanana, "
            "a été arrêté. Lebanon’s General Security detained Rasha M. on 3 May.")
    assert [s.name for s in r.subjects][:2] == ["Aurelio Quintana", "Rivo Andrianarisoa"]
    assert not any("Feon" in s.name or "Lebanon" in s.name for s in r.subjects)


def test_belgian_page_title_names_the_country_not_a_teaser_below():
    r = rec("Écrire Burkina Faso. Un journaliste détenu\n\nAU 211/15, AFR 60/2512/2015, 21 septembre 2015 Le "
            "journaliste Boureima Kaboré est détenu.\n\nAction terminée\n\nSyrie: des milliers de détenus\n")
    assert r.country == "Burkina Faso"


def test_given_name_the_model_left_out_and_a_son_who_was_killed():
    r = rec("El 19 de julio, Marcos Ortiz Delgado y Xinia Figueroa Morales, miembros del Consejo de Mayores, "
            "recibieron amenazas de muerte.\nShanique Bailey has been threatened since the fatal shooting of her "
            "19-year-old son, Kemar Bailey, by police.")
    names = [s.name for s in r.subjects]
    assert "Xinia Figueroa Morales" in names and "Marcos Ortiz Delgado" in names
    assert "Kemar Bailey" not in names and not any("Consejo" in n for n in names)


def test_building_lines_belong_to_the_address():
    r = rec("APPEALS TO:\nCommissioner of Police\nBrigadier-General Sitiveni Naulu\nFiji Police Force\n"
            "Police Headquarters\nToorak Road, Suva, Fiji\nFax: +679 330 7401\nSalutation: Dear Commissioner\n\n"
            "PLEASE SEND APPEALS IMMEDIATELY.\n")
    (a,) = r.recipients
    assert a.organization == "Fiji Police Force"
    assert a.address_lines == ["Police Headquarters", "Toorak Road, Suva, Fiji"]


def test_royal_highness_copy_line_and_a_possessive_office_after_a_flat_name():
    r = rec("Also send copies to diplomatic representatives accredited to your country.\n"
            "HIS ROYAL HIGHNESS PRINCE KHALED BIN FAISAL AL SAUD Royal Embassy of Saudi Arabia 30 Charles Street, "
            "London, W1J 5DZ Fax: 0207 917 3113\n\nPlease check with your section.\n")
    assert r.recipients[0].name == "Khaled Bin Faisal Al Saud" and r.recipients[0].fax == ["+442079173113"]
    r = rec("Write to the officials listed.\nAttorney General Rodrigo Alfaro Zelaya Public Prosecutor’s Office "
            "Colonia Lomas del Guijarro, Tegucigalpa, Honduras Email: fiscal@mp.hn Salutation: Dear Attorney General\n")
    assert r.recipients[0].name == "Rodrigo Alfaro Zelaya"


def test_a_role_word_in_a_title_is_not_taken_as_a_given_name():
    r = rec("Urgent Action: Free Opposition Leader Maryia Kalesnikava (Belarus: UA 147.20)\n\nBelarusian authorities "
            "abducted opposition leader Maryia Kalesnikava on 7 September. Maryia Kalesnikava is a prisoner of conscience.")
    assert [s.name for s in r.subjects] == ["Maryia Kalesnikava"]
