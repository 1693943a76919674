"""pysaml2's attribute map for SPID and CIE (``attribute_map_dir`` in
quartiere/identita/saml.py): the attributes keep the names AgID gives them, in the basic
name format, both in the metadata's requested attributes and in the assertions read back.

pysaml2 imports every module of this folder by its file name: keep it alone here.
"""

NOMI = (
    "spidCode",
    "name",
    "familyName",
    "placeOfBirth",
    "countyOfBirth",
    "dateOfBirth",
    "gender",
    "companyName",
    "registeredOffice",
    "fiscalNumber",
    "ivaCode",
    "idCard",
    "mobilePhone",
    "email",
    "address",
    "expirationDate",
    "digitalAddress",
    "domicileStreetAddress",
    "domicilePostalCode",
    "domicileMunicipality",
    "domicileProvince",
    "domicileNation",
)

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
    "fro": {nome: nome for nome in NOMI},
    "to": {nome: nome for nome in NOMI},
}
